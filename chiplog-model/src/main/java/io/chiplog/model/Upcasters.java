package io.chiplog.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A chain of upcasters: each step turns old shapes of stored events into newer ones as they are
 * read, for entities and decisions alike. The stored events are never rewritten; the chain runs
 * on every read, in the order the steps were added. Immutable: each method returns a longer
 * chain. A step must leave events that already have the current shape as they are: events a
 * command has just appended are folded without upcasting (for instance into a snapshot).
 *
 * <pre>{@code
 * Upcasters.none()
 *     .rename("BookEntered", "BookAdded")                                   // 1 -> 1
 *     .change("BookAdded", data -> data.has("language") ? data : data.put("language", "en"))  // a default
 *     .split("BookAddedWithAuthor", e -> List.of(bookAdded(e), authorSet(e)))  // 1 -> N
 *     .mergeConsecutive("BookEditionStarted", "EditionStarted", (a, b) -> b)   // N -> 1
 * }</pre>
 */
public final class Upcasters {
  private final List<UnaryOperator<List<StoredEvent>>> steps;

  private Upcasters(List<UnaryOperator<List<StoredEvent>>> steps) {
    this.steps = List.copyOf(steps);
  }

  /** The empty chain: events are read as they were stored. */
  public static Upcasters none() {
    return new Upcasters(List.of());
  }

  /** Reads events of type {@code from} as type {@code to}, data unchanged. */
  public Upcasters rename(String from, String to) {
    return eachOfType(from, event -> List.of(event.withType(to)));
  }

  /**
   * Changes the data of events of {@code type}: add a field with its default, rename a field,
   * reshape a value. {@code change} gets a copy and returns it (or another object).
   */
  public Upcasters change(String type, UnaryOperator<ObjectNode> change) {
    return eachOfType(type, event -> {
      if (!(event.data() instanceof ObjectNode object)) {
        return List.of(event);
      }
      return List.of(event.withData(Objects.requireNonNull(change.apply(object.deepCopy()), "change result")));
    });
  }

  /** Reads each event of {@code type} as the events {@code split} makes of it (1 -> N). */
  public Upcasters split(String type, Function<StoredEvent, List<StoredEvent>> split) {
    return eachOfType(type, split);
  }

  /**
   * Reads an event of type {@code first} followed in its stream by one of type {@code second}
   * (the next revision) as the one event {@code merge} makes of the two (N -> 1), at the second
   * one's place. A {@code first} whose follower is not in the same read stays as it is.
   */
  public Upcasters mergeConsecutive(String first, String second, BinaryOperator<StoredEvent> merge) {
    return then(events -> {
      var pendingByStream = new HashMap<String, Integer>();
      var out = new ArrayList<StoredEvent>(events.size());
      for (StoredEvent event : events) {
        String stream = event.stream();
        if (stream != null && event.type().equals(second)) {
          Integer index = pendingByStream.remove(stream);
          StoredEvent previous = index == null ? null : out.get(index);
          if (previous != null && previous.revision() + 1 == event.revision()) {
            out.set(index, null);
            StoredEvent merged = Objects.requireNonNull(merge.apply(previous, event), "merge result");
            // The merged event stands where the pair completed: the second one's place and id.
            out.add(new StoredEvent(event.id(), event.position(), event.stream(), event.revision(),
                event.recordedAt(), merged.type(), merged.tags(), merged.data()));
            continue;
          }
        }
        if (stream != null) {
          if (event.type().equals(first)) {
            pendingByStream.put(stream, out.size());
          } else {
            pendingByStream.remove(stream);
          }
        }
        out.add(event);
      }
      out.removeIf(Objects::isNull);
      return out;
    });
  }

  /** Adds any step that turns a read's events into others. */
  public Upcasters then(UnaryOperator<List<StoredEvent>> step) {
    var longer = new ArrayList<>(steps);
    longer.add(step);
    return new Upcasters(longer);
  }

  /** Runs the chain over {@code events}, in position order. */
  public List<StoredEvent> apply(List<StoredEvent> events) {
    List<StoredEvent> current = events;
    for (UnaryOperator<List<StoredEvent>> step : steps) {
      current = step.apply(current);
    }
    return current;
  }

  /** Whether the chain has no step. */
  public boolean isEmpty() {
    return steps.isEmpty();
  }

  private Upcasters eachOfType(String type, Function<StoredEvent, List<StoredEvent>> each) {
    return then(events -> {
      var out = new ArrayList<StoredEvent>(events.size());
      for (StoredEvent event : events) {
        if (event.type().equals(type)) {
          out.addAll(each.apply(event));
        } else {
          out.add(event);
        }
      }
      return out;
    });
  }
}
