package io.chiplog.cli;

import io.chiplog.api.EventStore;
import io.chiplog.client.ChiplogClient;
import io.chiplog.store.FileEventStore;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where a command reads or writes: a server ({@code --url}, the default, from {@code
 * CHIPLOG_URL} or {@code http://127.0.0.1:7171}) or a store directory opened in-process ({@code
 * --data}; the directory must not be open in a running server).
 */
final class StoreTarget {
  static final String DEFAULT_URL = "http://127.0.0.1:7171";

  @Option(names = "--url", description = "Server address (default: $CHIPLOG_URL or " + DEFAULT_URL + ").")
  @Nullable URI url;

  @Option(names = "--data", description = "Open this store directory directly instead of a server.")
  @Nullable Path data;

  EventStore open() {
    if (url != null && data != null) {
      throw new IllegalArgumentException("give --url or --data, not both");
    }
    if (data != null) {
      return FileEventStore.open(data);
    }
    return ChiplogClient.connect(serverUrl());
  }

  URI serverUrl() {
    if (url != null) {
      return url;
    }
    String fromEnvironment = System.getenv("CHIPLOG_URL");
    return URI.create(fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_URL : fromEnvironment);
  }

  String describe() {
    return data != null ? data.toString() : serverUrl().toString();
  }
}
