package io.chiplog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chiplog head}: the position of the last event, 0 when the store is empty. */
@Command(name = "head", mixinStandardHelpOptions = true, description = "Print the position of the last event (0 when empty).")
final class HeadCommand implements Callable<Integer> {
  @Mixin StoreTarget target;

  @Override
  public Integer call() {
    try (var store = target.open()) {
      System.out.println(store.head());
    }
    return 0;
  }
}
