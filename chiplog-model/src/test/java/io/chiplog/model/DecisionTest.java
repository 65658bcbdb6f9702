package io.chiplog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.store.FileEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DCB decisions: small projections composed into one boundary, checked at append time. The
 * domain is "a unique, gap-free number per category", which needs only the category's own
 * events, not a global lock.
 */
class DecisionTest {
  sealed interface Event permits CategoryOpened, Numbered {}

  record CategoryOpened(String category) implements Event, Tagged {
    @Override
    public Set<String> tags() {
      return Set.of("category:" + category);
    }
  }

  record Numbered(String category, int number) implements Event, Tagged {
    @Override
    public Set<String> tags() {
      return Set.of("category:" + category);
    }
  }

  static final EventTypes<Event> TYPES = EventTypes.of(Event.class)
      .add("CategoryOpened", CategoryOpened.class)
      .add("Numbered", Numbered.class)
      .build();

  static Projection<Boolean, Event> exists(String category) {
    return Projection.of("exists", Query.of(QueryItem.types("CategoryOpened").withTags("category:" + category)),
        false, (state, event) -> true);
  }

  /** Numbers only grow, so the last one is the highest: one event read, whatever the history. */
  static Projection<Integer, Event> highest(String category) {
    return Projection.last("highest", Query.of(QueryItem.types("Numbered").withTags("category:" + category)),
        0, (state, event) -> Math.max(state, ((Numbered) event).number()));
  }

  static Decision<Event> number(DecisionContext<Event> context, String category) {
    var exists = exists(category);
    var highest = highest(category);
    var states = context.readAll(List.of(exists, highest));
    if (!states.get(exists)) {
      return Decision.reject("no category " + category);
    }
    return Decision.accept(new Numbered(category, states.get(highest) + 1));
  }

  @TempDir Path directory;
  private EventStore store;

  @BeforeEach
  void open() {
    store = FileEventStore.open(directory);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aDecisionFoldsEachProjectionOverItsOwnEventsAndRejectsWithAReason() {
    var commands = new Commands(store);
    commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("fiction")));
    commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("poetry")));

    var first = commands.decide("number", TYPES, context -> number(context, "fiction"));
    var second = commands.decide("number", TYPES, context -> number(context, "fiction"));
    var other = commands.decide("number", TYPES, context -> number(context, "poetry"));
    var missing = commands.decide("number", TYPES, context -> number(context, "drama"));

    assertThat(numbers(first, second, other)).containsExactly(1, 2, 1);
    assertThat(missing).isInstanceOfSatisfying(Outcome.Rejected.class,
        rejected -> assertThat(rejected.reason()).isEqualTo("no category drama"));
  }

  @Test
  void aShapedDecisionAppendsItsEventsWithTheShapesInOneAppendAndKeepsItsBoundary() {
    var commands = new Commands(store);
    commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("fiction")));
    UnaryOperator<AppendRequest> intoStream = request -> {
      var events = new ArrayList<>(request.events());
      events.add(EventData.ofJson("Noted", "{}"));
      return new AppendRequest(events, "notes-1", ExpectedRevision.noStream(), request.condition());
    };

    var shaped = commands.decide("number", null, TYPES, context -> number(context, "fiction"), intoStream);

    var appended = (Outcome.Appended<Event>) shaped;
    assertThat(appended.events()).singleElement().satisfies(recorded -> {
      assertThat(recorded.stream()).isEqualTo("notes-1");
      assertThat(recorded.revision()).isZero();
      assertThat(recorded.position()).isEqualTo(2);
    });
    assertThat(appended.lastPosition()).isEqualTo(3);
    try (var notes = store.readStream("notes-1", ReadOptions.forwards())) {
      assertThat(notes.map(RecordedEvent::type)).containsExactly("Numbered", "Noted");
    }
    // The shape kept the condition: a second attempt on the same stream conflicts on its revision.
    assertThatThrownBy(() -> commands.decide("number", null, TYPES, context -> number(context, "fiction"), intoStream))
        .isInstanceOf(AppendConflictException.class);
    assertThat(commands.decide("number", TYPES, context -> number(context, "fiction")))
        .satisfies(outcome -> assertThat(numbers(outcome)).containsExactly(2));

    // A shape may put events before the decided ones too: the outcome still locates its own.
    UnaryOperator<AppendRequest> opening = request -> {
      var events = new ArrayList<EventData>();
      events.add(EventData.ofJson("Opened", "{}"));
      events.addAll(request.events());
      return new AppendRequest(events, "notes-2", ExpectedRevision.noStream(), request.condition());
    };
    var opened = (Outcome.Appended<Event>) commands.decide("number", null, TYPES, context -> number(context, "fiction"), opening);
    assertThat(opened.events()).singleElement().satisfies(recorded -> {
      assertThat(recorded.revision()).isEqualTo(1);
      assertThat(recorded.position()).isEqualTo(opened.lastPosition());
      assertThat(((Numbered) recorded.event()).number()).isEqualTo(3);
    });
  }

  @Test
  void aDecisionConflictsOnlyWithEventsInsideItsBoundary() {
    var interfering = new InterferingStore(store);
    var meters = new SimpleMeterRegistry();
    var commands = new Commands(interfering, ModelOptions.builder().meters(meters).build());
    commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("fiction")));
    commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("poetry")));
    var other = new Commands(store);

    // Between read and append, another writer numbers a poetry item: outside the boundary.
    interfering.beforeAppend = () -> elsewhere(() -> other.decide("number", TYPES, context -> number(context, "poetry")));
    var unaffected = commands.decide("number", TYPES, context -> number(context, "fiction"));
    // Now it numbers a fiction item once: inside the boundary, so the first attempt conflicts.
    var once = new java.util.concurrent.atomic.AtomicBoolean(true);
    interfering.beforeAppend = () -> {
      if (once.getAndSet(false)) {
        elsewhere(() -> other.decide("number", TYPES, context -> number(context, "fiction")));
      }
    };
    var retried = commands.decide("number", TYPES, context -> number(context, "fiction"));

    assertThat(((Outcome.Appended<?>) unaffected).attempts()).isEqualTo(1);
    assertThat(((Outcome.Appended<?>) retried).attempts()).isEqualTo(2);
    assertThat(numbers(retried)).containsExactly(3);
    assertThat(meters.counter("chiplog.model.conflicts", "name", "number").count()).isEqualTo(1);
  }

  @Test
  void aLastOnlyProjectionReadsOneEventAndStillGuardsItsBoundary() {
    var interfering = new InterferingStore(store);
    var commands = new Commands(interfering);
    commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("fiction")));
    for (int i = 0; i < 5; i++) {
      commands.decide("number", TYPES, context -> number(context, "fiction"));
    }
    var other = new Commands(store);
    var once = new java.util.concurrent.atomic.AtomicBoolean(true);
    interfering.beforeAppend = () -> {
      if (once.getAndSet(false)) {
        elsewhere(() -> other.decide("number", TYPES, context -> number(context, "fiction")));
      }
    };

    var outcome = commands.decide("number", TYPES, context -> number(context, "fiction"));

    assertThat(numbers(outcome)).containsExactly(7);
    assertThat(((Outcome.Appended<?>) outcome).attempts()).isEqualTo(2);
  }

  @Test
  void aLastOnlyProjectionWhoseNewestMatchDoesNotDecodeFoldsTheWholeHistoryInstead() {
    var commands = new Commands(store);
    commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("fiction")));
    commands.decide("number", TYPES, context -> number(context, "fiction"));
    commands.decide("number", TYPES, context -> number(context, "fiction"));
    // Another model's event, also tagged with the category, is now the newest match of a
    // tags-only query: alone it says nothing about the highest number.
    store.append(io.chiplog.api.AppendRequest.of(io.chiplog.api.EventData.ofJson("Reviewed", "{}").withTags("category:fiction")));
    var highestAny = Projection.<Integer, Event>last("highestAny", Query.tags("category:fiction"), 0,
        (highest, event) -> event instanceof Numbered numbered ? numbered.number() : highest);

    var seen = new java.util.concurrent.atomic.AtomicInteger();
    var peek = commands.decide("peek", TYPES, context -> {
      seen.set(context.read(highestAny));
      return Decision.accept(List.of());
    });

    assertThat(seen.get()).isEqualTo(2);
    assertThat(((Outcome.Appended<?>) peek).lastPosition()).isEqualTo(4);
  }

  @Test
  void commandsDoNotNest() {
    var commands = new Commands(store);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> commands.decide("outer", TYPES, context -> {
      commands.decide("inner", TYPES, inner -> Decision.accept(new CategoryOpened("x")));
      return Decision.accept(List.of());
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("do not nest");
    assertThat(store.head()).isZero();
    // The thread is usable again afterwards.
    assertThat(commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("y"))).isAppended()).isTrue();
  }

  @Test
  void eventIdsDoNotComeFromASeededRandomSource() {
    var first = new Commands(store, ModelOptions.builder().random(new java.util.Random(1)).build());
    var second = new Commands(store, ModelOptions.builder().random(new java.util.Random(1)).build());

    first.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("a")));
    second.decide("open", TYPES, context -> Decision.accept(new CategoryOpened("a")));

    assertThat(store.head()).isEqualTo(2);
  }

  @Test
  void concurrentDecisionsGiveUniqueGapFreeNumbersAndTheKeyedQueueRemovesTheirConflicts() throws Exception {
    double withoutQueue = numberConcurrently(false);
    double withQueue = numberConcurrently(true);

    assertThat(withQueue).isZero();
    assertThat(withoutQueue).isPositive();
  }

  /** 16 threads number 3 categories, 30 each; returns the conflicts met. */
  private double numberConcurrently(boolean queueByKey) throws InterruptedException {
    var meters = new SimpleMeterRegistry();
    var commands = new Commands(store, ModelOptions.builder().meters(meters).queueByKey(queueByKey)
        .attemptsMax(1_000).backoff(Duration.ofNanos(1_000), Duration.ofMillis(2)).build());
    String prefix = queueByKey ? "q" : "n";
    List<String> categories = IntStream.range(0, 3).mapToObj(i -> prefix + i).toList();
    for (String category : categories) {
      commands.decide("open", TYPES, context -> Decision.accept(new CategoryOpened(category)));
    }
    var numbers = new ConcurrentHashMap<String, Set<Integer>>();
    var start = new CountDownLatch(1);
    var threads = new ArrayList<Thread>();
    for (int t = 0; t < 16; t++) {
      String category = categories.get(t % 3);
      threads.add(Thread.ofPlatform().start(() -> {
        awaitQuietly(start);
        for (int i = 0; i < 30; i++) {
          var outcome = commands.decide("number", "category:" + category, TYPES, context -> number(context, category));
          numbers.computeIfAbsent(category, c -> java.util.Collections.synchronizedSet(new TreeSet<>()))
              .addAll(numbers(outcome));
        }
      }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    for (String category : categories) {
      int count = (int) IntStream.range(0, 16).filter(t -> categories.get(t % 3).equals(category)).count() * 30;
      assertThat(numbers.get(category)).containsExactlyElementsOf(IntStream.rangeClosed(1, count).boxed().toList());
    }
    return meters.counter("chiplog.model.conflicts", "name", "number").count();
  }

  @SafeVarargs
  private static List<Integer> numbers(Outcome<Event>... outcomes) {
    var result = new ArrayList<Integer>();
    for (Outcome<Event> outcome : outcomes) {
      for (Recorded<Event> recorded : ((Outcome.Appended<Event>) outcome).events()) {
        result.add(((Numbered) recorded.event()).number());
      }
    }
    return result;
  }

  /** Runs {@code writer} on another thread, as another process would, and waits for it. */
  static void elsewhere(Runnable writer) {
    try {
      Thread.ofPlatform().start(writer).join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
