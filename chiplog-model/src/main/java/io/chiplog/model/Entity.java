package io.chiplog.model;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An entity: the state of one stream, folded from its events, and the decisions taken on it.
 * Plain functions, no base class:
 *
 * <pre>{@code
 * Entity<Book, BookCommand, LibraryEvent> books = Entity.<Book, BookCommand, LibraryEvent>builder("book", types)
 *     .initial(Book.NONE)
 *     .evolve(Book::evolve)                      // (state, event) -> state'
 *     .decide(Book::decide)                      // (state, command, context) -> Decision
 *     .stream(command -> "book-" + command.bookId())
 *     .build();
 * Outcome<LibraryEvent> outcome = commands.handle(books, new StartEdition(bookId, 1));
 * }</pre>
 *
 * {@link Commands#handle} loads the stream (from a snapshot, if any), decides, and appends with
 * the expected revision it read, retrying on conflict.
 *
 * @param name the entity's name: metrics and snapshots use it
 * @param types its events
 * @param initial the state of a stream with no events
 * @param evolve the fold: no clock, no randomness, no I/O
 * @param decide the decision, which may ask the {@link CommandContext} for the time and ids
 * @param stream the stream a command addresses
 * @param snapshots when to snapshot, or null for never
 * @param <S> the state
 * @param <C> the commands
 * @param <E> the events
 */
public record Entity<S, C, E>(
    String name,
    EventTypes<E> types,
    S initial,
    BiFunction<S, E, S> evolve,
    Decide<S, C, E> decide,
    Function<C, String> stream,
    @Nullable SnapshotPolicy<S> snapshots) {

  /** Checks that nothing is missing. */
  public Entity {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an entity needs a name");
    }
    if (types == null || initial == null || evolve == null || decide == null || stream == null) {
      throw new IllegalArgumentException("entity " + name + " needs types, initial, evolve, decide and stream");
    }
  }

  /** {@code decide}: a command on a state, with the context that supplies time and ids. */
  @FunctionalInterface
  public interface Decide<S, C, E> {
    /** Decides; must not change {@code state}. */
    Decision<E> decide(S state, C command, CommandContext context);
  }

  /**
   * When to snapshot: every {@code everyEvents} events, tagged with the entity's {@code
   * codeVersion}; a snapshot of another version is ignored, so changing {@code evolve} means
   * raising the version.
   *
   * @param codeVersion the version of the entity's code that the snapshot's state belongs to
   * @param everyEvents how many events between snapshots
   * @param stateType the state's class, for the JSON codec
   * @param <S> the state
   */
  public record SnapshotPolicy<S>(int codeVersion, int everyEvents, Class<S> stateType) {
    /** Checks the values. */
    public SnapshotPolicy {
      if (everyEvents < 1) {
        throw new IllegalArgumentException("everyEvents must be at least 1, was " + everyEvents);
      }
    }
  }

  /** Starts a definition. */
  public static <S, C, E> Builder<S, C, E> builder(String name, EventTypes<E> types) {
    return new Builder<>(name, types);
  }

  /** The state after {@code events}, starting from {@code state}. */
  public S fold(S state, List<Recorded<E>> events) {
    S current = state;
    for (Recorded<E> event : events) {
      current = evolve.apply(current, event.event());
    }
    return current;
  }

  /** Builds an {@link Entity}; not thread-safe. */
  public static final class Builder<S, C, E> {
    private final String name;
    private final EventTypes<E> types;
    private @Nullable S initial;
    private @Nullable BiFunction<S, E, S> evolve;
    private @Nullable Decide<S, C, E> decide;
    private @Nullable Function<C, String> stream;
    private @Nullable SnapshotPolicy<S> snapshots;

    private Builder(String name, EventTypes<E> types) {
      this.name = name;
      this.types = types;
    }

    /** The state of a stream with no events. */
    public Builder<S, C, E> initial(S value) {
      initial = value;
      return this;
    }

    /** The fold. */
    public Builder<S, C, E> evolve(BiFunction<S, E, S> value) {
      evolve = value;
      return this;
    }

    /** The decision. */
    public Builder<S, C, E> decide(Decide<S, C, E> value) {
      decide = value;
      return this;
    }

    /** The stream a command addresses. */
    public Builder<S, C, E> stream(Function<C, String> value) {
      stream = value;
      return this;
    }

    /** Snapshots every {@code everyEvents} events, for code version {@code codeVersion}. */
    public Builder<S, C, E> snapshots(int codeVersion, int everyEvents, Class<S> stateType) {
      snapshots = new SnapshotPolicy<>(codeVersion, everyEvents, stateType);
      return this;
    }

    /** Builds the definition. */
    @SuppressWarnings("NullAway")
    public Entity<S, C, E> build() {
      return new Entity<>(name, types, initial, evolve, decide, stream, snapshots);
    }
  }
}
