package io.chiplog.store.internal.write;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventData;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.api.spi.CommitSignal;
import io.chiplog.api.spi.Idempotency;
import io.chiplog.store.Durability;
import io.chiplog.store.StoreException;
import io.chiplog.store.StoreOptions;
import io.chiplog.store.internal.index.IndexCatalog;
import io.chiplog.store.internal.index.KeyIndex;
import io.chiplog.store.internal.index.LongList;
import io.chiplog.store.internal.index.PositionIndex;
import io.chiplog.store.internal.log.LogRecord;
import io.chiplog.store.internal.log.RecordCodec;
import io.chiplog.store.internal.log.SegmentLayout;
import io.chiplog.store.internal.log.SegmentLog;
import io.chiplog.store.internal.read.EventReader;
import io.chiplog.store.internal.read.QueryMatcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer with group commit. Callers {@link #submit} appends into a bounded queue; the
 * writer thread takes everything queued (up to a batch limit), decides each append in order
 * against the indexes plus what it accepted before in the same batch, encodes the accepted ones
 * into one buffer, writes it with one write and one force, then publishes the new head and
 * completes the futures. Conflicts are decided before anything is written and answered at once.
 *
 * <p>Accepted events enter the key index before the write so that later appends of the batch see
 * them; readers ignore positions above the published head, so they never see them early. When
 * the write or the force fails, the batch is cut off the log and out of the indexes, its appends
 * fail, and the writer refuses every later append: the store must be reopened, which recovers
 * exactly the acknowledged appends.
 *
 * <p>A state machine owned by its thread: fields below the queue are touched by that thread only.
 */
public final class Writer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
  private static final PendingAppend STOP = new PendingAppend(AppendRequest.of(EventData.of("stop")), new CompletableFuture<>());

  private final BlockingQueue<PendingAppend> queue;
  private final StoreOptions options;
  private final SegmentLog log;
  private final PositionIndex positions;
  private final KeyIndex keys;
  private final QueryMatcher matcher;
  private final EventReader reader;
  private final CommitSignal commits;
  private final IndexCatalog catalog;
  private final String storeName;
  private volatile @Nullable StoreException failure;

  // Owned by the writer thread.
  private long nextPosition;
  private long commitPosition;
  private ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
  private final List<PendingAppend> batch = new ArrayList<>();
  private final List<Accepted> accepted = new ArrayList<>();
  /** Where each record of the batch starts in {@code buffer}; reused from batch to batch. */
  private final LongList recordOffsets = new LongList(1024);

  /**
   * Most bytes in one commit's buffer. Appends beyond it wait for the next commit; one append
   * alone may exceed it (it is bounded by the store's limits).
   */
  private static final int BATCH_BYTES_MAX = 64 << 20;

  private final List<Refused> refused = new ArrayList<>();
  private final java.util.ArrayDeque<PendingAppend> carried = new java.util.ArrayDeque<>();

  /** An append refused in the current batch, answered once the batch's outcome is known. */
  private record Refused(PendingAppend append, RuntimeException error) {}

  /** An append accepted in the current batch, and what it will return. */
  private record Accepted(PendingAppend append, AppendResult result) {}

  /**
   * Creates the writer for a recovered store whose last position is {@code head}.
   */
  public Writer(StoreOptions options, SegmentLog log, PositionIndex positions, KeyIndex keys, EventReader reader,
      CommitSignal commits, IndexCatalog catalog, long head, String storeName) {
    this.options = options;
    this.queue = new ArrayBlockingQueue<>(options.pendingAppendsMax());
    this.log = log;
    this.positions = positions;
    this.keys = keys;
    this.matcher = new QueryMatcher(keys);
    this.reader = reader;
    this.commits = commits;
    this.catalog = catalog;
    this.nextPosition = head + 1;
    this.storeName = storeName;
  }

  /**
   * Queues an append, waiting while the queue is full (back-pressure). The future completes once
   * the append is durable, or exceptionally with a conflict or a failure.
   */
  public CompletableFuture<AppendResult> submit(AppendRequest request) {
    StoreException failed = failure;
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    var pending = new PendingAppend(request, new CompletableFuture<>());
    try {
      queue.put(pending);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new StoreClosedException(storeName + " (interrupted while queueing)"));
    }
    return pending.done();
  }

  /** Asks the writer to finish what is queued, checkpoint and stop. */
  public void stop() throws InterruptedException {
    queue.put(STOP);
  }

  @Override
  public void run() {
    boolean stopping = false;
    try {
      while (!stopping || !carried.isEmpty()) {
        batch.clear();
        batch.addAll(carried);
        carried.clear();
        if (batch.isEmpty()) {
          batch.add(queue.take());
        }
        if (!stopping) {
          queue.drainTo(batch, options.writeBatchAppendsMax());
          stopping = batch.remove(STOP);
        }
        if (!batch.isEmpty()) {
          commit();
        }
        if (failure == null && (stopping || keys.activePostings() >= 4L * options.checkpointIntervalEvents()
            || nextPosition - 1 - catalog.frozenThrough() >= options.checkpointIntervalEvents())) {
          checkpoint(stopping);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      fail(new StoreException.Failed("the writer of " + storeName + " stopped: " + e, e));
    } finally {
      // Appends taken from the queue must be answered too, or their callers wait forever.
      StoreException failed = failure;
      RuntimeException answer = failed != null ? failed : new StoreClosedException(storeName);
      batch.forEach(p -> p.done().completeExceptionally(answer));
      carried.forEach(p -> p.done().completeExceptionally(answer));
      refuseQueued();
    }
  }

  private void commit() {
    StoreException earlier = failure;
    if (earlier != null) {
      batch.forEach(p -> p.done().completeExceptionally(earlier));
      return;
    }
    long firstPosition = nextPosition;
    commitPosition = firstPosition;
    long offsetBefore = log.writeOffset();
    int segmentsBefore = log.segments().size();
    buffer.clear();
    accepted.clear();
    recordOffsets.truncate(0);
    long recordedAtMicros = ChronoUnit.MICROS.between(java.time.Instant.EPOCH, options.clock().instant());
    refused.clear();
    for (int i = 0; i < batch.size(); i++) {
      PendingAppend pending = batch.get(i);
      long sizeBytes = encodedSize(pending.request());
      if (recordOffsets.size() > 0 && buffer.position() + sizeBytes > BATCH_BYTES_MAX) {
        // A full commit: the rest waits for the next one, so the buffer stays bounded.
        carried.addAll(batch.subList(i, batch.size()));
        break;
      }
      try {
        decide(pending, sizeBytes, recordedAtMicros);
      } catch (RuntimeException e) {
        // Answered after the commit: a conflict may rest on an event of this batch, which must
        // be durable before anyone is told it exists.
        refused.add(new Refused(pending, e));
      }
    }
    if (recordOffsets.size() == 0) {
      completeAccepted();
      refused.forEach(r -> r.append().done().completeExceptionally(r.error()));
      return;
    }
    try {
      buffer.flip();
      long start = log.append(buffer, firstPosition);
      log.force(options.durability() == Durability.FSYNC);
      int ordinal = SegmentLog.ordinalOf(start);
      long offset = SegmentLog.offsetOf(start);
      for (int i = 0; i < recordOffsets.size(); i++) {
        positions.add(SegmentLog.location(ordinal, offset + recordOffsets.get(i)));
      }
    } catch (IOException e) {
      var failed = new StoreException.Failed("writing positions " + firstPosition + ".." + (nextPosition - 1)
          + " to " + log.last() + " failed: " + e.getMessage() + "; the store refuses appends until it is reopened", e);
      undo(firstPosition, offsetBefore, segmentsBefore, failed);
      fail(failed);
      accepted.forEach(a -> a.append().done().completeExceptionally(failed));
      refused.forEach(r -> r.append().done().completeExceptionally(
          r.error() instanceof AppendConflictException ? failed : r.error()));
      return;
    }
    commits.advance(nextPosition - 1);
    completeAccepted();
    refused.forEach(r -> r.append().done().completeExceptionally(r.error()));
  }

  private void completeAccepted() {
    for (Accepted a : accepted) {
      a.append().done().complete(a.result());
    }
  }

  /** Cuts what a failed batch left in the log and the indexes. */
  private void undo(long firstPosition, long offsetBefore, int segmentsBefore, StoreException failed) {
    keys.truncateAbove(firstPosition - 1);
    positions.truncateAbove(firstPosition - 1);
    nextPosition = firstPosition;
    try {
      // If the batch rolled the log, it went to the new segment: empty that one instead.
      log.truncateLast(log.segments().size() == segmentsBefore ? offsetBefore : SegmentLayout.HEADER_SIZE);
    } catch (IOException e) {
      failed.addSuppressed(e);
    }
  }

  /** Decides one append: returns normally when accepted (and encoded) or answered as a retry. */
  private void decide(PendingAppend pending, long sizeBytes, long recordedAtMicros) {
    AppendRequest request = pending.request();
    AppendResult original = Idempotency.originalOf(request, keys::positionOfId, this::appendStartingAt);
    if (original != null) {
      accepted.add(new Accepted(pending, original));
      return;
    }
    String stream = request.stream();
    long revision = RecordedEvent.NO_REVISION;
    if (stream != null) {
      revision = keys.postings(KeyIndex.streamKey(stream)).size() - 1;
      if (!request.expectedRevision().isSatisfiedBy(revision)) {
        throw new AppendConflictException(new ConflictReason.RevisionMismatch(stream, request.expectedRevision(), revision));
      }
    }
    var condition = request.condition();
    if (condition != null) {
      long match = matcher.firstMatchAfter(condition.failIfEventsMatch(), condition.after(), nextPosition - 1);
      if (match >= 0) {
        throw new AppendConflictException(
            new ConflictReason.ConditionMatched(condition.failIfEventsMatch(), condition.after(), match));
      }
    }
    accepted.add(new Accepted(pending, write(request, sizeBytes, revision, recordedAtMicros)));
  }

  private AppendResult write(AppendRequest request, long sizeBytes, long lastRevision, long recordedAtMicros) {
    // Room for the whole append first: nothing below can fail half-way through it.
    ensureRoom(sizeBytes);
    String stream = request.stream();
    byte[] streamBytes = stream == null ? null : stream.getBytes(StandardCharsets.US_ASCII);
    long first = nextPosition;
    long revision = lastRevision;
    int size = request.size();
    for (int i = 0; i < size; i++) {
      EventData event = request.events().get(i);
      long position = nextPosition++;
      long eventRevision = stream == null ? RecordedEvent.NO_REVISION : ++revision;
      recordOffsets.add(buffer.position());
      RecordCodec.encode(buffer, event, position, recordedAtMicros, streamBytes, eventRevision, size, i, commitPosition);
      keys.addEvent(event.id(), event.type(), event.tags(), stream, position);
    }
    return new AppendResult(first, nextPosition - 1, stream == null ? RecordedEvent.NO_REVISION : revision);
  }

  private void ensureRoom(long bytes) {
    if (buffer.remaining() < bytes) {
      long needed = buffer.position() + bytes;
      if (needed > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("a commit of " + needed + " bytes does not fit one buffer");
      }
      var larger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, Math.max(buffer.capacity() * 2L, needed)));
      buffer.flip();
      larger.put(buffer);
      buffer = larger;
    }
  }

  /** The bytes an append takes on disk. */
  private static long encodedSize(AppendRequest request) {
    String stream = request.stream();
    byte[] streamBytes = stream == null ? null : stream.getBytes(StandardCharsets.US_ASCII);
    long size = 0;
    for (EventData event : request.events()) {
      size += RecordCodec.encodedSize(event, streamBytes);
    }
    return size;
  }

  /**
   * The append whose first event is at {@code position}, for the retry rule: from this batch's
   * accepted appends when it is not written yet, otherwise from its first record, whose append
   * size and index say where the append ends (its revisions are consecutive).
   */
  private Idempotency.@Nullable StoredAppend appendStartingAt(long position) {
    if (position >= commitPosition) {
      for (Accepted a : accepted) {
        if (a.result().firstPosition() == position) {
          return new Idempotency.StoredAppend(a.append().request().stream(), a.result());
        }
      }
      return null;
    }
    LogRecord record = reader.recordAt(position);
    if (record.batchIndex() != 0) {
      return null;
    }
    RecordedEvent first = record.event();
    long lastRevision = first.hasStream() ? first.revision() + record.batchSize() - 1 : RecordedEvent.NO_REVISION;
    var result = new AppendResult(position, position + record.batchSize() - 1, lastRevision);
    return new Idempotency.StoredAppend(first.stream(), result);
  }

  /**
   * Hands the in-heap index tails to the catalog, which writes them in the background; when
   * stopping, waits until they are on disk.
   */
  private void checkpoint(boolean wait) throws InterruptedException {
    long through = nextPosition - 1;
    try {
      catalog.checkpoint(through);
      if (wait) {
        catalog.awaitFlushed();
      }
    } catch (IOException e) {
      fail(new StoreException.Failed("the index checkpoint of " + storeName + " at position " + through
          + " failed: " + e.getMessage() + "; the store refuses appends until it is reopened", e));
    }
  }

  private void fail(StoreException failed) {
    if (failure == null) {
      failure = failed;
      LOG.error("{}", failed.getMessage(), failed);
    }
  }

  private void refuseQueued() {
    var left = new ArrayList<PendingAppend>();
    queue.drainTo(left);
    StoreException failed = failure;
    for (PendingAppend pending : left) {
      pending.done().completeExceptionally(failed != null ? failed : new StoreClosedException(storeName));
    }
  }

}
