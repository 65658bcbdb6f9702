package io.chiplog.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.Direction;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Drives a backend and the reference model with the same random operations and compares what
 * each observable result says. Everything derives from one seed, including event ids, so a seed
 * replays exactly.
 *
 * <p>Positions may differ between the two (a backend may leave gaps), so the comparison keeps the
 * backend position of every model position and translates {@code from} and {@code after} values
 * before passing them on. Not thread-safe; one per test.
 */
final class ModelComparison {
  private static final String[] TYPES = {"A", "B", "C"};
  private static final String[] TAGS = {"t:1", "t:2", "t:3", "k:x"};
  private static final String[] STREAMS = {"s1", "s2", "s3"};
  private static final int TRAIL_MAX = 12;

  private final RandomGenerator random;
  private final EventStore backend;
  private final EventStore model;
  private final List<Long> backendPositions = new ArrayList<>();
  private final List<AppendRequest> appended = new ArrayList<>();
  private final ArrayDeque<String> trail = new ArrayDeque<>();

  ModelComparison(long seed, EventStore backend, EventStore model) {
    this.random = new SplittableRandom(seed);
    this.backend = backend;
    this.model = model;
  }

  void run(int operations) throws InterruptedException {
    for (int step = 0; step < operations; step++) {
      int dice = random.nextInt(100);
      if (dice < 45) {
        compareAppend(randomAppend());
      } else if (dice < 55 && !appended.isEmpty()) {
        compareAppend(randomRetry());
      } else if (dice < 75) {
        compareRead(randomQuery(), randomReadOptions(model.head()));
      } else if (dice < 85) {
        compareStreamRead(pick(STREAMS), randomReadOptions(3));
      } else if (dice < 95) {
        compareSubscription(randomQuery(), random.nextLong(model.head() + 2));
      } else {
        note("head");
        assertThat(backend.head()).as(context()).isEqualTo(toBackend(model.head()));
      }
    }
  }

  private void compareAppend(AppendRequest request) {
    note("append " + describe(request));
    Object expected = outcome(model, request);
    Object actual = outcome(backend, translate(request));
    switch (expected) {
      case AppendResult modelResult -> {
        assertThat(actual).as(context()).isInstanceOf(AppendResult.class);
        var backendResult = (AppendResult) actual;
        assertThat(backendResult.eventCount()).as(context()).isEqualTo(modelResult.eventCount());
        assertThat(backendResult.streamRevision()).as(context()).isEqualTo(modelResult.streamRevision());
        if (modelResult.lastPosition() > backendPositions.size()) {
          recordPositions(backendResult);
          appended.add(request);
        } else {
          assertThat(backendResult.lastPosition()).as(context() + " (retry)")
              .isEqualTo(toBackend(modelResult.lastPosition()));
        }
      }
      case ConflictReason modelReason -> {
        assertThat(actual).as(context()).isInstanceOf(ConflictReason.class);
        assertThat(untranslate((ConflictReason) actual)).as(context()).isEqualTo(modelReason);
      }
      default -> assertThat(actual).as(context()).isEqualTo(expected);
    }
  }

  /** The result, the conflict reason, or the class of any other error. */
  private static Object outcome(EventStore store, AppendRequest request) {
    try {
      return store.append(request);
    } catch (AppendConflictException e) {
      return e.reason();
    } catch (ChiplogException e) {
      return e.getClass();
    }
  }

  private void recordPositions(AppendResult backendResult) {
    List<RecordedEvent> written = TestEvents.read(backend, Query.all(),
        ReadOptions.forwards().from(backendResult.firstPosition()).limit(backendResult.eventCount()));
    assertThat(written).as(context()).hasSize(backendResult.eventCount());
    assertThat(written.getLast().position()).as(context()).isEqualTo(backendResult.lastPosition());
    written.forEach(e -> backendPositions.add(e.position()));
  }

  private void compareRead(Query query, ReadOptions options) {
    note("read " + query + " " + options);
    List<RecordedEvent> expected = TestEvents.read(model, query, options);
    List<RecordedEvent> actual = TestEvents.read(backend, query, translate(options));
    assertSameEvents(actual, expected);
  }

  private void compareStreamRead(String stream, ReadOptions options) {
    note("readStream " + stream + " " + options);
    Object expected = streamOutcome(model, stream, options);
    Object actual = streamOutcome(backend, stream, options);
    if (expected instanceof List<?> events) {
      assertThat(actual).as(context()).isInstanceOf(List.class);
      assertSameEvents(asEvents(actual), asEvents(events));
    } else {
      assertThat(actual).as(context()).isEqualTo(expected);
    }
  }

  private static Object streamOutcome(EventStore store, String stream, ReadOptions options) {
    try {
      return TestEvents.readStream(store, stream, options);
    } catch (ChiplogException e) {
      return e.getClass();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<RecordedEvent> asEvents(Object list) {
    return (List<RecordedEvent>) list;
  }

  private void compareSubscription(Query query, long from) throws InterruptedException {
    note("subscribe " + query + " from " + from);
    List<RecordedEvent> expected = TestEvents.read(model, query, ReadOptions.forwards().from(from).limit(50));
    try (var subscription = backend.subscribe(query, toBackendFrom(from))) {
      assertSameEvents(Subscribers.take(subscription, expected.size()), expected);
    }
  }

  private void assertSameEvents(List<RecordedEvent> actual, List<RecordedEvent> expected) {
    assertThat(actual).as(context()).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      RecordedEvent want = expected.get(i);
      RecordedEvent got = actual.get(i);
      assertThat(got.position()).as(context() + " position of event " + i).isEqualTo(toBackend(want.position()));
      assertThat(got.toEventData()).as(context() + " event " + i).isEqualTo(want.toEventData());
      assertThat(got.stream()).as(context() + " stream of event " + i).isEqualTo(want.stream());
      assertThat(got.revision()).as(context() + " revision of event " + i).isEqualTo(want.revision());
    }
  }

  // --- position translation ---

  private long toBackend(long modelPosition) {
    if (modelPosition == 0) {
      return 0;
    }
    int known = backendPositions.size();
    if (modelPosition <= known) {
      return backendPositions.get((int) modelPosition - 1);
    }
    long backendHead = known == 0 ? 0 : backendPositions.getLast();
    return modelPosition == Long.MAX_VALUE ? modelPosition : backendHead + (modelPosition - known);
  }

  private long toBackendFrom(long from) {
    return from <= 1 ? from : toBackend(from);
  }

  private ReadOptions translate(ReadOptions options) {
    return new ReadOptions(toBackendFrom(options.from()), options.limit(), options.direction());
  }

  private AppendRequest translate(AppendRequest request) {
    AppendCondition condition = request.condition();
    return condition == null ? request
        : request.withCondition(condition.after(toBackend(condition.after())));
  }

  private ConflictReason untranslate(ConflictReason reason) {
    return switch (reason) {
      case ConflictReason.ConditionMatched m ->
          new ConflictReason.ConditionMatched(m.query(), toModel(m.after()), toModel(m.firstMatch()));
      case ConflictReason.RevisionMismatch r -> r;
      case ConflictReason.EventIdsAlreadyStored s -> s;
    };
  }

  private long toModel(long backendPosition) {
    if (backendPosition == 0) {
      return 0;
    }
    int index = java.util.Collections.binarySearch(backendPositions, backendPosition);
    return index >= 0 ? index + 1 : -backendPosition; // not a known position: shows up as a mismatch
  }

  // --- generators ---

  private AppendRequest randomAppend() {
    var events = new ArrayList<EventData>();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      events.add(randomEvent());
    }
    var request = AppendRequest.of(events);
    if (random.nextBoolean()) {
      String stream = pick(STREAMS);
      request = request.toStream(stream, randomExpectation(stream));
    }
    if (random.nextInt(10) < 4) {
      long head = model.head();
      long after = Math.max(0, head - random.nextLong(Math.min(head, 6) + 1));
      request = request.withCondition(AppendCondition.failIfEventsMatch(randomQuery()).after(after));
    }
    return request;
  }

  private ExpectedRevision randomExpectation(String stream) {
    long actual;
    try (var events = model.readStream(stream, ReadOptions.backwards().limit(1))) {
      actual = events.findFirst().map(RecordedEvent::revision).orElse(RecordedEvent.NO_REVISION);
    } catch (ChiplogException e) {
      actual = RecordedEvent.NO_REVISION;
    }
    int dice = random.nextInt(100);
    if (dice < 25) {
      return ExpectedRevision.any();
    } else if (dice < 45) {
      return ExpectedRevision.noStream();
    } else if (dice < 60) {
      return ExpectedRevision.exists();
    }
    long guess = actual + random.nextInt(-1, 2) * (random.nextInt(3) == 0 ? 1 : 0);
    return guess < 0 ? ExpectedRevision.noStream() : ExpectedRevision.exactly(guess);
  }

  private AppendRequest randomRetry() {
    AppendRequest original = appended.get(random.nextInt(appended.size()));
    int dice = random.nextInt(10);
    if (dice < 6) {
      return original;
    } else if (dice < 7 && original.size() > 1) {
      return new AppendRequest(original.events().reversed(), original.stream(), original.expectedRevision(), original.condition());
    } else if (dice < 8) {
      var more = new ArrayList<>(original.events());
      more.add(randomEvent());
      return new AppendRequest(more, original.stream(), original.expectedRevision(), original.condition());
    } else if (dice < 9) {
      return new AppendRequest(original.events(), "s9", ExpectedRevision.any(), null);
    }
    return new AppendRequest(original.events(), null, ExpectedRevision.any(), null);
  }

  private EventData randomEvent() {
    var tags = new HashSet<String>();
    int tagCount = random.nextInt(3);
    for (int i = 0; i < tagCount; i++) {
      tags.add(pick(TAGS));
    }
    byte[] data = new byte[random.nextInt(16)];
    random.nextBytes(data);
    var id = new UUID(random.nextLong(), random.nextLong());
    byte[] metadata = ("{\"n\":" + random.nextInt(1000) + "}").getBytes(StandardCharsets.UTF_8);
    return new EventData(id, pick(TYPES), tags, data, metadata);
  }

  private Query randomQuery() {
    var items = new ArrayList<QueryItem>();
    int count = random.nextInt(3);
    for (int i = 0; i < count; i++) {
      var types = new HashSet<String>();
      var tags = new HashSet<String>();
      for (int t = random.nextInt(3); t > 0; t--) {
        types.add(pick(TYPES));
      }
      for (int t = random.nextInt(3); t > 0; t--) {
        tags.add(pick(TAGS));
      }
      items.add(new QueryItem(types, tags));
    }
    return new Query(items);
  }

  private ReadOptions randomReadOptions(long span) {
    Direction direction = random.nextBoolean() ? Direction.FORWARDS : Direction.BACKWARDS;
    long from = random.nextInt(8) == 0 && direction == Direction.BACKWARDS
        ? ReadOptions.END
        : random.nextLong(span + 3);
    int limit = random.nextInt(4) == 0 ? ReadOptions.NO_LIMIT : random.nextInt(12);
    return new ReadOptions(from, limit, direction);
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  // --- reporting ---

  private void note(String operation) {
    if (trail.size() == TRAIL_MAX) {
      trail.removeFirst();
    }
    trail.addLast(operation);
  }

  private String context() {
    return "after operations (latest last):\n  " + String.join("\n  ", trail) + "\n";
  }

  private static String describe(AppendRequest request) {
    var types = request.events().stream().map(e -> e.type() + e.tags()).toList();
    return types + (request.stream() == null ? "" : " to " + request.stream() + " expecting "
        + request.expectedRevision()) + (request.condition() == null ? ""
        : " if none of " + request.condition().failIfEventsMatch() + " after "
            + request.condition().after());
  }
}
