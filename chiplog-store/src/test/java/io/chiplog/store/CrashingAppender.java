package io.chiplog.store;

import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StreamNotFoundException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The child process of {@link KillRecoveryIT}: opens a {@link FileEventStore} with the default
 * options (durability as given, normally {@code FSYNC}) and appends from several threads until it
 * is killed.
 *
 * <p>Usage: {@code CrashingAppender <directory> <seed> <threads> <durability>}. Stdout gets
 * {@code READY <head>} once the store is open, then one {@link Ack} line per acknowledged append.
 * Each line is written with a single {@code write} call after {@code append} returned, so every
 * complete line is a promise the store made before the kill; a kill can only leave the last line
 * cut short.
 *
 * <p>The workload mixes single events and batches of 2 to 20, streams with exact, no-stream and
 * any expectations, and DCB conditions, so conflicts happen all the time; they are expected and
 * only teach the thread the stream's revision. Anything else (an exception that is not a
 * conflict, or a conflict on fresh event ids) prints a stack trace to stderr and exits with
 * {@link #EXIT_UNEXPECTED}, which the parent reports as a failure.
 *
 * <p>Every event carries a {@link Part} tag naming its append, its place in it and the append's
 * size, so the parent can check that recovery kept whole appends only, acknowledged or not.
 */
final class CrashingAppender {
  /** The first line, followed by the head the store opened with. */
  static final String READY = "READY";
  /** The exit status when something other than a conflict went wrong. */
  static final int EXIT_UNEXPECTED = 2;
  private static final int STREAMS = 12;
  private static final int KEYS = 6;
  private static final List<String> TYPES = List.of("X", "Y");

  private final FileEventStore store;
  private final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
  /** The last revision each stream is known to have; a guess, corrected by conflicts. */
  private final Map<String, Long> knownRevisions = new ConcurrentHashMap<>();

  private CrashingAppender(FileEventStore store) {
    this.store = store;
  }

  /** Runs until killed; the arguments are described in the class comment. */
  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    var random = new SplittableRandom(Long.parseLong(args[1]));
    int threads = Integer.parseInt(args[2]);
    Durability durability = Durability.valueOf(args[3]);
    // Never closed: the process ends by SIGKILL, which is the point.
    var appender = new CrashingAppender(FileEventStore.open(StoreOptions.builder(directory).durability(durability).build()));
    appender.print(READY + " " + appender.store.head());
    for (int i = 0; i < threads; i++) {
      SplittableRandom own = random.split();
      Thread.ofPlatform().name("appender-" + i).start(() -> appender.appendUntilKilled(own));
    }
  }

  private void appendUntilKilled(RandomGenerator random) {
    try {
      while (true) {
        appendOnce(random);
      }
    } catch (Throwable e) {
      e.printStackTrace();
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_UNEXPECTED);
    }
  }

  private void appendOnce(RandomGenerator random) {
    List<EventData> events = events(random);
    String stream = random.nextInt(3) == 0 ? null : "s-" + random.nextInt(STREAMS);
    ExpectedRevision expected = stream == null ? ExpectedRevision.any() : expectation(stream, random);
    AppendCondition condition = random.nextInt(3) == 0 ? condition(random) : null;
    AppendRequest request = AppendRequest.of(events);
    if (stream != null) {
      request = request.toStream(stream, expected);
    }
    if (condition != null) {
      request = request.withCondition(condition);
    }
    try {
      AppendResult result = store.append(request);
      if (stream != null) {
        knownRevisions.merge(stream, result.streamRevision(), Math::max);
      }
      print(new Ack(result, stream, expected, condition, events.stream().map(EventData::id).toList(),
          events.stream().map(e -> digest(e.data())).toList()).format());
    } catch (AppendConflictException e) {
      learnFrom(e);
    }
  }

  private static List<EventData> events(RandomGenerator random) {
    int size = random.nextInt(5) < 2 ? 1 : 2 + random.nextInt(19);
    String append = UUID.randomUUID().toString();
    var events = new ArrayList<EventData>(size);
    for (int i = 0; i < size; i++) {
      String key = "k:" + random.nextInt(KEYS);
      events.add(EventData.ofJson(TYPES.get(random.nextInt(TYPES.size())), payload(random))
          .withTags(new Part(append, i, size).tag(), key));
    }
    return events;
  }

  /** Mostly small events, now and then one of several KiB so that a batch spans many pages. */
  private static String payload(RandomGenerator random) {
    int length = random.nextInt(10) == 0 ? 1_000 + random.nextInt(6_000) : random.nextInt(200);
    var pad = new char[length];
    for (int i = 0; i < length; i++) {
      pad[i] = (char) ('a' + random.nextInt(26));
    }
    return "{\"pad\":\"" + new String(pad) + "\"}";
  }

  /**
   * Mostly the revision this process believes the stream has, sometimes read from the store
   * (a read racing the writers), sometimes no-stream or any.
   */
  private ExpectedRevision expectation(String stream, RandomGenerator random) {
    return switch (random.nextInt(8)) {
      case 0 -> ExpectedRevision.any();
      case 1 -> ExpectedRevision.noStream();
      case 2 -> exactly(lastRevisionStored(stream));
      default -> exactly(knownRevisions.getOrDefault(stream, RecordedEvent.NO_REVISION));
    };
  }

  private static ExpectedRevision exactly(long revision) {
    return revision == RecordedEvent.NO_REVISION ? ExpectedRevision.noStream() : ExpectedRevision.exactly(revision);
  }

  private long lastRevisionStored(String stream) {
    try (Stream<RecordedEvent> last = store.readStream(stream, ReadOptions.backwards().limit(1))) {
      return last.findFirst().map(RecordedEvent::revision).orElse(RecordedEvent.NO_REVISION);
    } catch (StreamNotFoundException e) {
      return RecordedEvent.NO_REVISION;
    }
  }

  /** A DCB decision: nothing of this type and key after (about) the head this thread just saw. */
  private AppendCondition condition(RandomGenerator random) {
    var query = Query.of(QueryItem.types(TYPES.get(random.nextInt(TYPES.size()))).withTags("k:" + random.nextInt(KEYS)));
    long seen = Math.max(0, store.head() - (random.nextBoolean() ? 0 : random.nextInt(50)));
    return AppendCondition.failIfEventsMatch(query).after(seen);
  }

  private void learnFrom(AppendConflictException conflict) {
    switch (conflict.reason()) {
      case ConflictReason.RevisionMismatch mismatch -> knownRevisions.put(mismatch.stream(), mismatch.actual());
      case ConflictReason.ConditionMatched matched -> { }
      // Every id is fresh, so the store claiming to hold one already is a bug, not a conflict.
      case ConflictReason.EventIdsAlreadyStored stored ->
          throw new IllegalStateException("fresh ids reported as stored", conflict);
    }
  }

  /** One write per line, so that a kill cuts at most the line being written. */
  private synchronized void print(String line) {
    try {
      stdout.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CRC-32 of {@code data} in hex: enough to tell recovered bytes from acknowledged ones. */
  static String digest(byte[] data) {
    var crc = new CRC32();
    crc.update(data);
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  /**
   * Where an event sits in its append, carried as the tag {@code append:<uuid>/<index>/<size>}.
   * One tag unique to the event, rather than a tag per field: {@code verify()} reads each of an
   * event's keys in full, so keys shared by thousands of events would make it slow.
   *
   * @param append the append's id, fresh for each append
   * @param index the event's place in the append, from 0
   * @param size the number of events in the append
   */
  record Part(String append, int index, int size) {
    private static final String PREFIX = "append:";

    String tag() {
      return PREFIX + append + "/" + index + "/" + size;
    }

    /** The part an event's tag names; throws when it has none. */
    static Part of(RecordedEvent event) {
      String tag = event.tags().stream().filter(t -> t.startsWith(PREFIX)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(event + " has no " + PREFIX + " tag"));
      String[] fields = tag.substring(PREFIX.length()).split("/");
      return new Part(fields[0], Integer.parseInt(fields[1]), Integer.parseInt(fields[2]));
    }
  }

  /**
   * One acknowledged append, as printed by the child and parsed by the parent:
   * {@code ACK <first> <last> <revision> <stream|-> <expected> <condition|-> <id>:<digest>...}.
   *
   * @param result what {@code append} returned
   * @param stream the stream, or null
   * @param expected the expected revision the append was accepted with
   * @param condition the DCB condition it was accepted with, or null
   * @param ids the event ids, in append order
   * @param digests {@link #digest} of each event's data, in append order
   */
  record Ack(
      AppendResult result,
      @Nullable String stream,
      ExpectedRevision expected,
      @Nullable AppendCondition condition,
      List<UUID> ids,
      List<String> digests) {
    private static final String PREFIX = "ACK";
    private static final String NONE = "-";

    Ack {
      ids = List.copyOf(ids);
      digests = List.copyOf(digests);
    }

    String format() {
      var line = new StringBuilder(PREFIX).append(' ').append(result.firstPosition()).append(' ')
          .append(result.lastPosition()).append(' ').append(result.streamRevision()).append(' ')
          .append(stream == null ? NONE : stream).append(' ').append(formatExpected()).append(' ')
          .append(formatCondition());
      for (int i = 0; i < ids.size(); i++) {
        line.append(' ').append(ids.get(i)).append(':').append(digests.get(i));
      }
      return line.toString();
    }

    private String formatExpected() {
      return switch (expected) {
        case ExpectedRevision.Any any -> "any";
        case ExpectedRevision.NoStream none -> "none";
        case ExpectedRevision.Exact exact -> Long.toString(exact.revision());
        case ExpectedRevision.StreamExists exists -> throw new IllegalArgumentException("not used");
      };
    }

    /** {@code <type>/<tag>/<after>}: the workload's conditions have one item of one type and one tag. */
    private String formatCondition() {
      if (condition == null) {
        return NONE;
      }
      QueryItem item = condition.failIfEventsMatch().items().getFirst();
      return item.types().iterator().next() + "/" + item.tags().iterator().next() + "/" + condition.after();
    }

    /** Parses a line {@link #format} wrote; throws on anything else. */
    static Ack parse(String line) {
      String[] fields = line.split(" ");
      if (fields.length < 8 || !fields[0].equals(PREFIX)) {
        throw new IllegalArgumentException("not an ACK line: " + line);
      }
      var result = new AppendResult(Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
      String stream = fields[4].equals(NONE) ? null : fields[4];
      var ids = new ArrayList<UUID>();
      var digests = new ArrayList<String>();
      for (String event : Arrays.copyOfRange(fields, 7, fields.length)) {
        int colon = event.indexOf(':');
        ids.add(UUID.fromString(event.substring(0, colon)));
        digests.add(event.substring(colon + 1));
      }
      return new Ack(result, stream, parseExpected(fields[5]), parseCondition(fields[6]), ids, digests);
    }

    private static ExpectedRevision parseExpected(String field) {
      return switch (field) {
        case "any" -> ExpectedRevision.any();
        case "none" -> ExpectedRevision.noStream();
        default -> ExpectedRevision.exactly(Long.parseLong(field));
      };
    }

    private static @Nullable AppendCondition parseCondition(String field) {
      if (field.equals(NONE)) {
        return null;
      }
      String[] parts = field.split("/");
      return AppendCondition.failIfEventsMatch(Query.of(QueryItem.types(parts[0]).withTags(parts[1])))
          .after(Long.parseLong(parts[2]));
    }
  }
}
