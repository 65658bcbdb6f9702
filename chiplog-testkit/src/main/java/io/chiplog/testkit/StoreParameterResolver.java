package io.chiplog.testkit;

import io.chiplog.api.EventStore;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each contract test a fresh store from its {@link StoreContract}, and closes it after the
 * test (JUnit closes {@link AutoCloseable} values of the extension store).
 */
final class StoreParameterResolver implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(StoreParameterResolver.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EventStore.class;
  }

  @Override
  public EventStore resolveParameter(ParameterContext parameter, ExtensionContext context) {
    var contract = (StoreContract) context.getRequiredTestInstance();
    EventStore store = contract.newStore();
    context.getStore(NAMESPACE).put(parameter.getIndex(), new ClosingStore(store));
    return store;
  }

  /** Closes the store after the test; a store the test closed already is fine to close again. */
  private record ClosingStore(EventStore store) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }
}
