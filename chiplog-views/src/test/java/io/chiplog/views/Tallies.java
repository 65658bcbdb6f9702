package io.chiplog.views;

import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.RecordedEvent;
import io.chiplog.model.EventTypes;
import io.chiplog.model.Tagged;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small model for view tests: amounts added to keys. The tally view counts and sums per key;
 * it is not idempotent, so an event applied twice (or lost) shows in the sums.
 */
final class Tallies {
  private Tallies() {}

  sealed interface TallyEvent permits Added, Cleared {}

  record Added(String key, long amount) implements TallyEvent, Tagged {
    @Override
    public Set<String> tags() {
      return Set.of("key:" + key);
    }
  }

  record Cleared(String key) implements TallyEvent, Tagged {
    @Override
    public Set<String> tags() {
      return Set.of("key:" + key);
    }
  }

  /** A key's tally: how many additions and their sum, and the position of the last one. */
  record Tally(long count, long sum, long lastPosition) {
    static final Tally ZERO = new Tally(0, 0, 0);
  }

  static final EventTypes<TallyEvent> TYPES = EventTypes.of(TallyEvent.class)
      .add("Added", Added.class)
      .add("Cleared", Cleared.class)
      .build();

  /** The tally view, version {@code version}; a Cleared event deletes its key. */
  static KeyValueView<TallyEvent, Tally> view(int version) {
    return view("tallies", version);
  }

  /** The tally view under the name {@code name}: tests that share a database use names of their own. */
  static KeyValueView<TallyEvent, Tally> view(String name, int version) {
    return KeyValueView.builder(name, TYPES, Tally.class)
        .version(version)
        .apply((event, changes) -> {
          switch (event.event()) {
            case Added added -> {
              Tally current = changes.get(added.key());
              Tally tally = current == null ? Tally.ZERO : current;
              changes.put(added.key(), new Tally(tally.count() + 1, tally.sum() + added.amount(), event.position()));
            }
            case Cleared cleared -> changes.delete(cleared.key());
          }
        })
        .build();
  }

  /** Appends {@code count} random events over {@code keys} keys (about one in 50 a Cleared); returns the last position. */
  static long append(EventStore store, Random random, int count, int keys) {
    long last = 0;
    List<EventData> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = "k" + random.nextInt(keys);
      TallyEvent event = random.nextInt(50) == 0 ? new Cleared(key) : new Added(key, 1 + random.nextInt(100));
      batch.add(TYPES.encode(event));
      if (batch.size() == 500 || i == count - 1) {
        last = store.append(io.chiplog.api.AppendRequest.of(batch)).lastPosition();
        batch.clear();
      }
    }
    return last;
  }

  /** The tallies of every key, folded from scratch from the whole log up to {@code upTo}. */
  static Map<String, Tally> fromScratch(EventStore store, long upTo) {
    var tallies = new HashMap<String, Tally>();
    List<RecordedEvent> events = store.read(view(1).query()).takeWhile(e -> e.position() <= upTo).toList();
    for (var recorded : TYPES.decode(events)) {
      switch (recorded.event()) {
        case Added added -> {
          Tally tally = tallies.getOrDefault(added.key(), Tally.ZERO);
          tallies.put(added.key(), new Tally(tally.count() + 1, tally.sum() + added.amount(), recorded.position()));
        }
        case Cleared cleared -> tallies.remove(cleared.key());
      }
    }
    return tallies;
  }
}
