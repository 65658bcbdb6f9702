package io.chiplog.cli;

import io.chiplog.api.StoreLimits;
import io.chiplog.server.ServerOptions;
import picocli.CommandLine.Option;

/** The size limits a server enforces, as flags. */
final class LimitOptions {
  @Option(names = "--event-max-bytes", defaultValue = "4194304", description = "Largest event: data, metadata, type and tags (default: ${DEFAULT-VALUE}).")
  long eventMaxBytes;

  @Option(names = "--append-max-bytes", defaultValue = "16777216", description = "Largest append (default: ${DEFAULT-VALUE}).")
  long appendMaxBytes;

  @Option(names = "--body-max-bytes", description = "Largest request body read at all (default: twice --append-max-bytes plus 1 MiB).")
  long bodyMaxBytes = -1;

  StoreLimits storeLimits() {
    return new StoreLimits(eventMaxBytes, appendMaxBytes);
  }

  long bodyMaxBytes() {
    return bodyMaxBytes < 0 ? ServerOptions.defaultBodyMaxBytes(storeLimits()) : bodyMaxBytes;
  }
}
