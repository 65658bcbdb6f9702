package io.chiplog.store;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.NamingRules;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.api.spi.CatchUpSubscription;
import io.chiplog.api.spi.CommitSignal;
import io.chiplog.store.internal.index.Checkpoint;
import io.chiplog.store.internal.io.DirectoryLock;
import io.chiplog.store.internal.index.IndexCatalog;
import io.chiplog.store.internal.index.IndexRun;
import io.chiplog.store.internal.index.KeyIndex;
import io.chiplog.store.internal.index.PositionIndex;
import io.chiplog.store.internal.index.Postings;
import io.chiplog.store.internal.log.SegmentLog;
import io.chiplog.store.internal.read.EventReader;
import io.chiplog.store.internal.read.QueryMatcher;
import io.chiplog.store.internal.recovery.Recovery;
import io.chiplog.store.internal.recovery.Verifier;
import io.chiplog.store.internal.write.Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded event store: a directory holding a segmented, checksummed log ({@code log/}) and
 * its persisted indexes ({@code index/}). One writer thread group-commits appends; reads and
 * subscriptions run on the callers' threads and never block it.
 *
 * <pre>{@code
 * try (var store = FileEventStore.open(Path.of("chiplog-data"))) {
 *   store.append(AppendRequest.of(EventData.ofJson("BookAdded", "{}")).toStream("book-1"));
 * }
 * }</pre>
 *
 * <p>Opening recovers from a crash: the log after the last index checkpoint is scanned and
 * indexed, and a torn tail is cut. One process opens a directory at a time (a lock file
 * enforces it; the operating system drops it if the process dies). Thread-safe.
 */
public final class FileEventStore implements EventStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileEventStore.class);
  private static final String LOG_DIRECTORY = "log";
  private static final String INDEX_DIRECTORY = "index";
  private static final String POSITIONS_FILE = "positions.idx";

  private final StoreOptions options;
  private final String name;
  private final SegmentLog log;
  private final PositionIndex positions;
  private final KeyIndex keys;
  private final EventReader reader;
  private final CommitSignal commits;
  private final IndexCatalog catalog;
  private final Writer writer;
  private final Thread writerThread;
  private final ReadWriteLock closing = new ReentrantReadWriteLock();
  private final DirectoryLock lock;
  private boolean closed;

  private FileEventStore(StoreOptions options, SegmentLog log, PositionIndex positions, KeyIndex keys,
      Recovery.Outcome recovered, long checkpointed, DirectoryLock lock) {
    this.options = options;
    this.lock = lock;
    this.name = "store " + options.directory();
    this.log = log;
    this.positions = positions;
    this.keys = keys;
    this.reader = new EventReader(log, positions, new QueryMatcher(keys));
    this.commits = new CommitSignal(name, recovered.head());
    this.catalog = new IndexCatalog(options.directory().resolve(INDEX_DIRECTORY), options.fileIo(), keys, positions,
        options.checkpointIntervalEvents(), checkpointed);
    this.writer = new Writer(options, log, positions, keys, reader, commits, catalog, recovered.head(), name);
    catalog.start();
    this.writerThread = Thread.ofPlatform().name("chiplog-writer").daemon(true).start(writer);
  }

  /** Opens (or creates) the store in {@code directory} with the default options. */
  public static FileEventStore open(Path directory) {
    return open(StoreOptions.defaults(directory));
  }

  /**
   * Opens (or creates) a store, recovering from a crash if needed.
   *
   * @throws StoreException.Corrupted when the files are damaged beyond a torn tail
   * @throws StoreException.Failed when the files cannot be read or created
   */
  public static FileEventStore open(StoreOptions options) {
    DirectoryLock lock = DirectoryLock.acquire(options.directory());
    try {
      try {
        return openWithIndex(options, lock);
      } catch (Recovery.StaleCheckpoint e) {
        LOG.warn("{}; rebuilding the index of {} from the log", e.getMessage(), options.directory());
        deleteIndex(options.directory());
        return openWithIndex(options, lock);
      }
    } catch (RuntimeException e) {
      try {
        lock.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static FileEventStore openWithIndex(StoreOptions options, DirectoryLock lock) {
    Path indexDirectory = options.directory().resolve(INDEX_DIRECTORY);
    SegmentLog log = SegmentLog.open(options.directory().resolve(LOG_DIRECTORY), options.fileIo(), options.segmentSizeBytes());
    PositionIndex positions = null;
    try {
      Files.createDirectories(indexDirectory);
      Checkpoint checkpoint = Checkpoint.read(indexDirectory);
      if (checkpoint == null) {
        checkpoint = new Checkpoint(0, List.of());
      }
      removeFilesNotIn(checkpoint, indexDirectory);
      positions = PositionIndex.open(indexDirectory.resolve(POSITIONS_FILE), checkpoint.indexedThrough(), options.fileIo());
      var runs = new ArrayList<IndexRun>();
      for (String run : checkpoint.runFiles()) {
        runs.add(openRun(indexDirectory.resolve(run)));
      }
      // About four keys per event: type, id, a stream or a tag or two.
      var keys = new KeyIndex(runs, (int) Math.min(1 << 24, 4L * options.checkpointIntervalEvents()));
      long started = System.nanoTime();
      Recovery.Outcome recovered = Recovery.run(log, positions, keys, checkpoint.indexedThrough());
      LOG.info("opened {}: head {}, {} events indexed from the log in {} ms{}", options.directory(), recovered.head(),
          recovered.scannedEvents(), (System.nanoTime() - started) / 1_000_000,
          recovered.cutBytes() > 0 ? ", torn tail of " + recovered.cutBytes() + " bytes cut" : "");
      return new FileEventStore(options, log, positions, keys, recovered, checkpoint.indexedThrough(), lock);
    } catch (IOException | RuntimeException e) {
      closeAfterFailedOpen(log, positions, e);
      if (e instanceof ChiplogException || e instanceof Recovery.StaleCheckpoint) {
        throw (RuntimeException) e;
      }
      throw new StoreException.Failed("cannot open " + options.directory() + ": " + e.getMessage(), e);
    }
  }

  /** A damaged index run is derived data: the index is rebuilt from the log rather than refusing to open. */
  private static IndexRun openRun(Path file) {
    try {
      return IndexRun.open(file);
    } catch (StoreException e) {
      throw new Recovery.StaleCheckpoint("index run " + file.getFileName() + " is unusable (" + e.getMessage() + ")");
    }
  }

  private static void closeAfterFailedOpen(SegmentLog log, @Nullable PositionIndex positions, Exception failure) {
    try {
      log.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    if (positions != null) {
      try {
        positions.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Deletes index files a crash left behind that no checkpoint refers to. */
  private static void removeFilesNotIn(Checkpoint checkpoint, Path indexDirectory) throws IOException {
    Set<String> keep = new HashSet<>(checkpoint.runFiles());
    keep.add(Checkpoint.FILE_NAME);
    keep.add(POSITIONS_FILE);
    try (Stream<Path> files = Files.list(indexDirectory)) {
      for (Path file : files.toList()) {
        if (!keep.contains(file.getFileName().toString())) {
          LOG.info("removing {}: not part of the last index checkpoint", file);
          Files.delete(file);
        }
      }
    }
  }

  /**
   * Deletes the index of a closed store so that the next open rebuilds it from the log.
   *
   * @throws StoreException.Failed when the files cannot be deleted
   */
  public static void deleteIndex(Path directory) {
    Path indexDirectory = directory.resolve(INDEX_DIRECTORY);
    try {
      if (Files.isDirectory(indexDirectory)) {
        try (Stream<Path> files = Files.list(indexDirectory)) {
          for (Path file : files.toList()) {
            Files.delete(file);
          }
        }
      }
    } catch (IOException e) {
      throw new StoreException.Failed("cannot delete the index in " + indexDirectory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public AppendResult append(AppendRequest request) {
    try {
      return appendAsync(request).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ChiplogException chiplog) {
        throw chiplog;
      }
      throw e;
    }
  }

  @Override
  public CompletableFuture<AppendResult> appendAsync(AppendRequest request) {
    try {
      options.limits().check(request);
    } catch (ChiplogException e) {
      return CompletableFuture.failedFuture(e);
    }
    closing.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new StoreClosedException(name));
      }
      return writer.submit(request);
    } finally {
      closing.readLock().unlock();
    }
  }

  @Override
  public Stream<RecordedEvent> read(Query query, ReadOptions options) {
    commits.ensureOpen();
    return reader.read(query, options, commits.head());
  }

  @Override
  public Stream<RecordedEvent> readStream(String stream, ReadOptions options) {
    NamingRules.checkStream(stream, "stream");
    commits.ensureOpen();
    long head = commits.head();
    Postings postings = keys.postings(KeyIndex.streamKey(stream));
    if (postings.isEmpty() || postings.get(0) > head) {
      throw new StreamNotFoundException(stream);
    }
    return reader.readStream(postings, options, head);
  }

  @Override
  public long head() {
    commits.ensureOpen();
    return commits.head();
  }

  @Override
  public EventSubscription subscribe(Query query, long fromPosition) {
    CatchUpSubscription.PageReader pages = (q, from, max) -> {
      commits.ensureOpen();
      return reader.page(q, from, max, commits.head());
    };
    return new CatchUpSubscription(commits, pages, query, fromPosition, options.subscriptionBufferCapacity());
  }

  /**
   * Checks every record's checksum and position and that the indexes agree with the log, while
   * the store stays open. Damaged records are reported, never returned.
   */
  public VerifyReport verify() {
    commits.ensureOpen();
    return Verifier.verify(log, positions, keys, commits.head());
  }

  /** The bytes of all segment files. */
  public long logSizeBytes() {
    return log.sizeBytes();
  }

  /** The directory the store lives in. */
  public Path directory() {
    return options.directory();
  }

  @Override
  public void close() {
    closing.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    var failure = new StoreException.Failed("closing " + name + " failed");
    try {
      writer.stop();
      writerThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
    }
    commits.close();
    catalog.close();
    try {
      log.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      positions.close();
    } catch (IOException e) {
      failure.addSuppressed(new UncheckedIOException(e));
    }
    try {
      lock.close();
    } catch (IOException e) {
      failure.addSuppressed(new UncheckedIOException(e));
    }
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
