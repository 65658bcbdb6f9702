package io.chiplog.cli;

import io.chiplog.server.ChiplogServer;
import io.chiplog.server.ServerOptions;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chiplog serve}: the embedded store behind HTTP API v1. SIGTERM (or Ctrl-C) stops it
 * gracefully: no new connections, requests in flight finish, then the store closes; every
 * acknowledged append is durable before its answer, so none is lost.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the Chiplog server on the embedded store.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "chiplog-data", description = "Store directory (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind; 0.0.0.0 for all (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7171", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Mixin LimitOptions limits;

  @Option(names = "--subscribers-max", defaultValue = "1000", description = "Open subscriptions allowed at once; more get 429 (default: ${DEFAULT-VALUE}).")
  int subscribersMax;

  @Option(names = "--heartbeat", defaultValue = "15s", converter = Durations.class, description = "Heartbeat interval of idle subscriptions (default: ${DEFAULT-VALUE}).")
  Duration heartbeat;

  @Option(names = "--stall-timeout", defaultValue = "30s", converter = Durations.class, description = "Drop a client whose writes block this long (default: ${DEFAULT-VALUE}).")
  Duration stallTimeout;

  @Option(names = "--durability", defaultValue = "FSYNC", description = "FSYNC (default) or NO_FSYNC (faster, loses the last appends on power loss).")
  Durability durability;

  @Override
  public Integer call() throws InterruptedException {
    var store =
        FileEventStore.open(
            StoreOptions.builder(data).limits(limits.storeLimits()).durability(durability).build());
    ChiplogServer server;
    try {
      server =
          ChiplogServer.start(
              store,
              ServerOptions.builder()
                  .host(host)
                  .port(port)
                  .limits(limits.storeLimits())
                  .bodyMaxBytes(limits.bodyMaxBytes())
                  .subscribersMax(subscribersMax)
                  .heartbeatInterval(heartbeat)
                  .stallTimeout(stallTimeout)
                  .build());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("chiplog-shutdown")
                .unstarted(
                    () -> {
                      server.close();
                      store.close();
                      stopped.countDown();
                    }));
    System.out.println(
        "Chiplog is serving " + data.toAbsolutePath().normalize() + " at " + server.uri()
            + "  (head " + store.head() + "; Ctrl-C to stop)");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
