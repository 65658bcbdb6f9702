package io.chiplog.store;

import io.chiplog.api.StoreLimits;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * How to open a {@link FileEventStore}. Build with {@link #builder(Path)}; every option has a
 * default that suits a server.
 *
 * <pre>{@code
 * var options = StoreOptions.builder(Path.of("chiplog-data"))
 *     .segmentSizeBytes(64L << 20)
 *     .build();
 * }</pre>
 *
 * @param directory where the store keeps its files ({@code log/} and {@code index/})
 * @param segmentSizeBytes when a segment reaches this size the log rolls to a new one
 * @param durability when an append is acknowledged
 * @param limits largest event and append
 * @param checkpointIntervalEvents how many events the in-heap index tail holds before it is
 *     written to disk; bounds heap use and the log scanned at open
 * @param pendingAppendsMax appends queued for the writer before callers wait
 * @param writeBatchAppendsMax most appends in one group commit (a commit also stops at 64 MiB)
 * @param subscriptionBufferCapacity events a subscription fetches ahead of its subscriber
 * @param clock the source of {@code recordedAt}
 * @param fileIo how files are opened and directories synced
 */
public record StoreOptions(
    Path directory,
    long segmentSizeBytes,
    Durability durability,
    StoreLimits limits,
    int checkpointIntervalEvents,
    int pendingAppendsMax,
    int writeBatchAppendsMax,
    int subscriptionBufferCapacity,
    InstantSource clock,
    FileIo fileIo) {

  /** Checks the values. */
  public StoreOptions {
    if (segmentSizeBytes < (1 << 16) || segmentSizeBytes > (1L << 36)) {
      throw new IllegalArgumentException("segmentSizeBytes must be 64 KiB to 64 GiB, was " + segmentSizeBytes);
    }
    positive(checkpointIntervalEvents, "checkpointIntervalEvents");
    positive(pendingAppendsMax, "pendingAppendsMax");
    positive(writeBatchAppendsMax, "writeBatchAppendsMax");
    positive(subscriptionBufferCapacity, "subscriptionBufferCapacity");
    if (limits.appendSizeMaxBytes() > APPEND_SIZE_MAX_BYTES) {
      throw new IllegalArgumentException("the embedded store takes appends of at most " + APPEND_SIZE_MAX_BYTES
          + " bytes (its largest record is 1 GiB), not " + limits.appendSizeMaxBytes());
    }
  }

  /** The largest append limit the embedded store accepts: 512 MiB, well within one record's 1 GiB. */
  public static final long APPEND_SIZE_MAX_BYTES = 512L << 20;

  private static void positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be 1 or more, was " + value);
    }
  }

  /** Defaults for a store in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** The defaults for a store in {@code directory}. */
  public static StoreOptions defaults(Path directory) {
    return builder(directory).build();
  }

  /** Builds {@link StoreOptions}; {@link #build()} validates. */
  public static final class Builder {
    private final Path directory;
    private long segmentSizeBytes = 256L << 20;
    private Durability durability = Durability.FSYNC;
    private StoreLimits limits = StoreLimits.defaults();
    private int checkpointIntervalEvents = 1 << 18;
    private int pendingAppendsMax = 1 << 14;
    private int writeBatchAppendsMax = 1 << 13;
    private int subscriptionBufferCapacity = 512;
    private InstantSource clock = InstantSource.system();
    private FileIo fileIo = FileIo.DEFAULT;

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** Segment size; default 256 MiB. */
    public Builder segmentSizeBytes(long bytes) {
      this.segmentSizeBytes = bytes;
      return this;
    }

    /** Durability; default {@link Durability#FSYNC}. */
    public Builder durability(Durability value) {
      this.durability = value;
      return this;
    }

    /** Size limits; default 4 MiB per event, 16 MiB per append. */
    public Builder limits(StoreLimits value) {
      this.limits = value;
      return this;
    }

    /** Events between index checkpoints; default 262,144. */
    public Builder checkpointIntervalEvents(int events) {
      this.checkpointIntervalEvents = events;
      return this;
    }

    /** Queued appends before callers wait; default 16,384. */
    public Builder pendingAppendsMax(int appends) {
      this.pendingAppendsMax = appends;
      return this;
    }

    /** Appends per group commit; default 8,192. */
    public Builder writeBatchAppendsMax(int appends) {
      this.writeBatchAppendsMax = appends;
      return this;
    }

    /** Events a subscription fetches ahead; default 512. */
    public Builder subscriptionBufferCapacity(int events) {
      this.subscriptionBufferCapacity = events;
      return this;
    }

    /** The clock for {@code recordedAt}; default the system clock. */
    public Builder clock(InstantSource value) {
      this.clock = value;
      return this;
    }

    /** The file layer; tests pass one that fails on purpose. */
    public Builder fileIo(FileIo value) {
      this.fileIo = value;
      return this;
    }

    /** The options. */
    public StoreOptions build() {
      return new StoreOptions(directory, segmentSizeBytes, durability, limits, checkpointIntervalEvents,
          pendingAppendsMax, writeBatchAppendsMax, subscriptionBufferCapacity, clock, fileIo);
    }
  }
}
