package io.chiplog.cli;

import io.chiplog.server.ChiplogServer;
import io.chiplog.server.ServerOptions;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chiplog bench}: the load generator over HTTP. {@code append} runs single-event appends
 * from many connections and reports throughput and latency percentiles; {@code sse} appends at
 * a fixed rate and measures how long each event takes to reach a server-sent-events
 * subscriber. Against a running server ({@code --url}) or one started in this process ({@code
 * --in-process}, on a fresh store in a temporary directory unless {@code --data} names one).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Load generator over HTTP: throughput and latency percentiles.",
      "  chiplog bench --in-process --workload append --connections 64 --duration 30s",
      "  chiplog bench --url http://127.0.0.1:7171 --workload sse --rate 5000"
    })
final class BenchCommand implements Callable<Integer> {
  /** What to measure. */
  enum Workload {
    APPEND,
    SSE
  }

  @Option(names = "--url", description = "Load this server (default: " + StoreTarget.DEFAULT_URL + ").")
  @Nullable URI url;

  @Option(names = "--in-process", description = "Start a server in this process on a fresh store and load it over loopback.")
  boolean inProcess;

  @Option(names = "--data", description = "With --in-process: the store directory (default: a temporary one, deleted after).")
  @Nullable Path data;

  @Option(names = "--durability", defaultValue = "FSYNC", description = "With --in-process: FSYNC (default) or NO_FSYNC.")
  Durability durability;

  @Option(names = "--workload", defaultValue = "APPEND", description = "APPEND or SSE (default: ${DEFAULT-VALUE}).")
  Workload workload;

  @Option(names = "--connections", defaultValue = "64", description = "APPEND: concurrent connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--rate", defaultValue = "5000", description = "SSE: events appended per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--duration", defaultValue = "20s", converter = Durations.class, description = "Measured time (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "5s", converter = Durations.class, description = "Unmeasured time first (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--data-size", defaultValue = "100", description = "Bytes of data per event (default: ${DEFAULT-VALUE}).")
  int dataSize;

  @Override
  public Integer call() throws Exception {
    if (inProcess && url != null) {
      throw new IllegalArgumentException("give --url or --in-process, not both");
    }
    if (!inProcess) {
      return run(url != null ? url : URI.create(StoreTarget.DEFAULT_URL));
    }
    Path directory = data != null ? data : Files.createTempDirectory("chiplog-bench");
    try (var store = FileEventStore.open(StoreOptions.builder(directory).durability(durability).build());
        var server = ChiplogServer.start(store, ServerOptions.builder().port(0).build())) {
      System.out.println("in-process server at " + server.uri() + " on " + directory + " (" + durability + ")");
      return run(server.uri());
    } finally {
      if (data == null) {
        deleteTree(directory);
      }
    }
  }

  private int run(URI server) throws Exception {
    BenchReport report =
        switch (workload) {
          case APPEND -> new AppendLoad(server, connections, dataSize).run(warmup, duration);
          case SSE -> new SseDeliveryLoad(server, rate, dataSize).run(warmup, duration);
        };
    System.out.println(report.describe());
    return 0;
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
