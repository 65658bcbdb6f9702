package io.chiplog.bench;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.model.Commands;
import io.chiplog.model.Decision;
import io.chiplog.model.Entity;
import io.chiplog.model.EventTypes;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Outcome;
import io.chiplog.model.Projection;
import io.chiplog.model.Tagged;
import io.chiplog.store.FileEventStore;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * The load generator's workloads for the programming model ({@code chiplog-model}, issue 6): what
 * {@link Commands} adds on top of the store's own append and read. Run through {@link
 * LoadGenerator} ({@code entity-command}, {@code dcb-next-number}).
 *
 * <ul>
 *   <li>{@code entity-command}: 32 callers, each on its own 8 cart streams; a command loads the
 *       stream (5–20 events of about 150 bytes of JSON), decides and appends one event with the
 *       revision it read. A stream that reaches 20 events is retired and its successor seeded
 *       with 5 events by one asynchronous append (not a command; counted as {@code seeds}).
 *   <li>{@code dcb-next-number}: 16 callers, each "add a book to a random category of 100 with the
 *       next number": one projection over {@code BookAdded} tagged {@code category:N} (by
 *       default {@code Projection.last}: the newest one, read backwards; {@code --count-all}: a
 *       count, read in full on every attempt), the number from it, appended on the projection's
 *       condition, under the key {@code category:N} ({@code --queue-by-key}). At the end the
 *       numbers of every category are checked to be 1..n without a duplicate.
 * </ul>
 */
public final class ModelLoad {
  private static final int STREAMS_PER_CALLER = 8;
  private static final int SEED_EVENTS = 5;
  private static final int STREAM_EVENTS_MAX = 20;
  private static final String NOTE = "x".repeat(80);

  private final LoadGenerator generator;
  private final FileEventStore store;

  ModelLoad(LoadGenerator generator, FileEventStore store) {
    this.generator = generator;
    this.store = store;
  }

  /** The events of a cart. */
  public sealed interface CartEvent permits ItemAdded, ItemRemoved {}

  /** An item was added to a cart. */
  public record ItemAdded(String sku, int quantity, long priceCents, String note) implements CartEvent {}

  /** An item was taken out of a cart. */
  public record ItemRemoved(String sku, int quantity) implements CartEvent {}

  /** A cart's state: what {@code decide} needs. */
  public record Cart(int lines, int quantity, long totalCents) {
    static final Cart EMPTY = new Cart(0, 0, 0);

    Cart evolve(CartEvent event) {
      return switch (event) {
        case ItemAdded added -> new Cart(lines + 1, quantity + added.quantity(), totalCents + added.priceCents());
        case ItemRemoved removed -> new Cart(lines, quantity - removed.quantity(), totalCents);
      };
    }
  }

  /** Add an item to a cart. */
  public record AddItem(String cart, String sku, int quantity, long priceCents) {}

  static final EventTypes<CartEvent> CART_TYPES = EventTypes.of(CartEvent.class)
      .add("ItemAdded", ItemAdded.class)
      .add("ItemRemoved", ItemRemoved.class)
      .build();

  static final Entity<Cart, AddItem, CartEvent> CARTS = Entity.<Cart, AddItem, CartEvent>builder("cart", CART_TYPES)
      .initial(Cart.EMPTY)
      .evolve(Cart::evolve)
      .decide((cart, command, context) -> {
        if (cart.quantity() + command.quantity() > 10_000) {
          return Decision.reject("a cart holds at most 10,000 items");
        }
        return Decision.accept(new ItemAdded(command.sku(), command.quantity(), command.priceCents(), NOTE));
      })
      .stream(AddItem::cart)
      .build();

  /** The events of the library. */
  public sealed interface LibraryEvent permits BookAdded {}

  /** A book was added to a category with the category's next number. */
  public record BookAdded(String bookId, int category, int number, String title) implements LibraryEvent, Tagged {
    @Override
    public Set<String> tags() {
      return Set.of("category:" + category, "book:" + bookId);
    }
  }

  static final EventTypes<LibraryEvent> LIBRARY_TYPES = EventTypes.of(LibraryEvent.class)
      .add("BookAdded", BookAdded.class)
      .build();

  static Projection<Integer, LibraryEvent> booksInCategory(int category) {
    return Projection.of("booksInCategory", Query.of(QueryItem.types("BookAdded").withTags("category:" + category)),
        0, (count, event) -> count + 1);
  }

  /** The highest number so far: numbers only grow, so the newest BookAdded tells it. */
  static Projection<Integer, LibraryEvent> highestNumber(int category) {
    return Projection.last("highestNumber", Query.of(QueryItem.types("BookAdded").withTags("category:" + category)),
        0, (highest, event) -> ((BookAdded) event).number());
  }

  private Commands commands() {
    return new Commands(store, ModelOptions.builder().queueByKey(generator.booleanFlag("queue-by-key")).build());
  }

  /** 32 callers, entity commands on their own short streams. */
  void entityCommand() throws InterruptedException {
    int threads = generator.intFlag("threads", 32);
    Commands commands = commands();
    String run = Long.toString(System.nanoTime(), 36);
    int[][] lengths = new int[threads][STREAMS_PER_CALLER];
    int[][] generations = new int[threads][STREAMS_PER_CALLER];
    CompletableFuture<?>[][] seeds = new CompletableFuture<?>[threads][STREAMS_PER_CALLER];
    var seedCount = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      for (int s = 0; s < STREAMS_PER_CALLER; s++) {
        seeds[t][s] = seed(cartName(run, t, s, 0), new SplittableRandom(t * 100L + s));
        lengths[t][s] = SEED_EVENTS;
      }
    }
    seeds[threads - 1][STREAMS_PER_CALLER - 1].join();
    LoadGenerator.Outcome outcome = generator.runWorkers(threads, (thread, random) -> {
      int slot = random.nextInt(STREAMS_PER_CALLER);
      seeds[thread][slot].join();
      String cart = cartName(run, thread, slot, generations[thread][slot]);
      Outcome<CartEvent> result = commands.handle(CARTS,
          new AddItem(cart, "sku-" + random.nextInt(10_000), 1 + random.nextInt(3), 100 + random.nextInt(10_000)));
      if (!result.isAppended()) {
        throw new IllegalStateException("rejected: " + result);
      }
      if (++lengths[thread][slot] >= STREAM_EVENTS_MAX) {
        generations[thread][slot]++;
        lengths[thread][slot] = SEED_EVENTS;
        seeds[thread][slot] = seed(cartName(run, thread, slot, generations[thread][slot]), random);
        seedCount.incrementAndGet();
      }
      return 1;
    }, seedCount);
    generator.report(outcome, String.format(Locale.ROOT,
        "threads=%d streams=%d stream_length=%d-%d seeds=%d cpu_us_per_command=%.0f durability=%s queue_by_key=%s"
            + " latency=per-command",
        threads, threads * STREAMS_PER_CALLER, SEED_EVENTS, STREAM_EVENTS_MAX - 1, outcome.extra(), cpuPerCommand(outcome),
        generator.durability(), generator.booleanFlag("queue-by-key")));
  }

  private static String cartName(String run, int thread, int slot, int generation) {
    return "cart-" + run + "-" + thread + "-" + slot + "-" + generation;
  }

  private CompletableFuture<AppendResult> seed(String cart, SplittableRandom random) {
    var events = new ArrayList<EventData>(SEED_EVENTS);
    for (int i = 0; i < SEED_EVENTS; i++) {
      events.add(CART_TYPES.encode(new ItemAdded("sku-" + random.nextInt(10_000), 1, 500, NOTE), Fixtures.id(random)));
    }
    return store.appendAsync(AppendRequest.of(events).toStream(cart, ExpectedRevision.noStream()));
  }

  /** 16 callers, each adding a book with the next number to a random one of 100 categories. */
  void dcbNextNumber() throws InterruptedException {
    int threads = generator.intFlag("threads", 16);
    Commands commands = commands();
    var conflicts = new AtomicLong();
    var gaveUp = new AtomicLong();
    long startNanos = System.nanoTime();
    var perSecond = new AtomicLongArray(3600);
    int preloaded = generator.intFlag("books", 0);
    preload(preloaded);
    long headBefore = store.head();
    LoadGenerator.Outcome outcome = generator.runWorkers(threads, (thread, random) -> {
      int category = random.nextInt(Fixtures.CATEGORIES);
      var books = generator.booleanFlag("count-all") ? booksInCategory(category) : highestNumber(category);
      String bookId = Fixtures.id(random).toString();
      try {
        Outcome<LibraryEvent> result = commands.decide("addBook", "category:" + category, LIBRARY_TYPES,
            context -> Decision.accept(new BookAdded(bookId, category, context.read(books) + 1, "A title of about 40 bytes")));
        conflicts.addAndGet(attempts(result) - 1);
      } catch (AppendConflictException exhausted) {
        conflicts.addAndGet(ModelOptions.defaults().attemptsMax());
        gaveUp.incrementAndGet();
        return 0;
      }
      perSecond.incrementAndGet((int) Math.min(3599, (System.nanoTime() - startNanos) / 1_000_000_000L));
      return 1;
    }, conflicts);
    // The last whole second of the run, taken before the check below reads every book.
    int last = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L) - 1;
    long perCategory = preloaded + (store.head() - headBefore) / Fixtures.CATEGORIES;
    long duplicates = checkNumbers();
    int warm = (int) Math.ceil(generator.warmupSeconds);
    generator.report(outcome, String.format(Locale.ROOT,
        "threads=%d conflicts=%d conflict_rate=%.3f gave_up=%d books_per_category_preloaded=%d"
            + " books_per_category_at_end=%d first_second=%d last_second=%d duplicates=%d cpu_us_per_command=%.0f"
            + " durability=%s queue_by_key=%s latency=per-command",
        threads, outcome.extra(), outcome.extra() / (double) Math.max(1, outcome.events()), gaveUp.get(), preloaded,
        perCategory,
        perSecond.get(warm), perSecond.get(Math.max(warm, last)), duplicates, cpuPerCommand(outcome),
        generator.durability(),
        generator.booleanFlag("queue-by-key")));
  }

  /** Appends {@code books} books numbered 1..books to every category, 100 events per append. */
  private void preload(int books) {
    var random = new SplittableRandom(7);
    var batch = new ArrayList<EventData>(100);
    for (int number = 1; number <= books; number++) {
      for (int category = 0; category < Fixtures.CATEGORIES; category++) {
        var book = new BookAdded(Fixtures.id(random).toString(), category, number, "A title of about 40 bytes");
        batch.add(LIBRARY_TYPES.encode(book, Fixtures.id(random)));
        if (batch.size() == 100) {
          store.append(AppendRequest.of(batch));
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      store.append(AppendRequest.of(batch));
    }
  }

  private static double cpuPerCommand(LoadGenerator.Outcome outcome) {
    return outcome.cpuSeconds() * 1e6 / Math.max(1, outcome.events());
  }

  private static int attempts(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Appended<?> appended -> appended.attempts();
      case Outcome.Rejected<?> rejected -> rejected.attempts();
    };
  }

  /** Books whose number was given twice in their category, or that leave a gap: 0 when the condition held. */
  private long checkNumbers() {
    long wrong = 0;
    for (int category = 0; category < Fixtures.CATEGORIES; category++) {
      var seen = new BitSet();
      int count = 0;
      try (Stream<RecordedEvent> events = store.read(booksInCategory(category).query(), ReadOptions.forwards())) {
        for (var event : (Iterable<RecordedEvent>) events::iterator) {
          int number = numberOf(event);
          if (seen.get(number)) {
            wrong++;
          }
          seen.set(number);
          count++;
        }
      }
      if (count > 0 && (seen.cardinality() != count || seen.nextSetBit(0) != 1 || seen.length() != count + 1)) {
        wrong += Math.max(1, count - seen.cardinality());
      }
    }
    return wrong;
  }

  private static int numberOf(RecordedEvent event) {
    List<io.chiplog.model.Recorded<LibraryEvent>> decoded = LIBRARY_TYPES.decode(List.of(event));
    return ((BookAdded) decoded.getFirst().event()).number();
  }
}
