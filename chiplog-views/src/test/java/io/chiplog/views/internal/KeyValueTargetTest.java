package io.chiplog.views.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.RecordedEvent;
import io.chiplog.model.EventTypes;
import io.chiplog.views.InMemoryViewStore;
import io.chiplog.views.KeyValueView;
import io.chiplog.views.ViewStore;
import io.chiplog.views.ViewStoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class KeyValueTargetTest {
  sealed interface CountEvent permits Counted {}

  record Counted(String key) implements CountEvent {}

  record Count(long value) {}

  private static final EventTypes<CountEvent> TYPES = EventTypes.of(CountEvent.class).add("Counted", Counted.class).build();
  private static final KeyValueView<CountEvent, Count> COUNTS = KeyValueView.builder("counts", TYPES, Count.class)
      .fold(event -> List.of(((Counted) event).key()), new Count(0), (count, event) -> new Count(count.value() + 1))
      .build();

  private final CountingStore store = new CountingStore();
  private final KeyValueTarget<CountEvent, Count> target = new KeyValueTarget<>(COUNTS, store, "counts_v1_1", 65_536);
  private long position;

  private List<RecordedEvent> counted(String key, int events) {
    var batch = new ArrayList<RecordedEvent>();
    for (int i = 0; i < events; i++) {
      batch.add(RecordedEvent.of(TYPES.encode(new Counted(key)), ++position, null, RecordedEvent.NO_REVISION, Instant.EPOCH));
    }
    return batch;
  }

  @Test
  void aKeyTheLastBatchWroteIsNotReadFromTheStoreAgain() {
    target.apply(counted("k", 3), position);
    int reads = store.reads;

    target.apply(counted("k", 2), position);

    assertThat(store.reads).isEqualTo(reads);
    assertThat(target.read("k")).isEqualTo(new Count(5));
  }

  @Test
  void theCacheKeepsAtMostItsBoundAndAZeroBoundReadsEveryBatchFromTheStore() {
    var uncached = new KeyValueTarget<>(COUNTS, store, "counts_v1_2", 0);
    uncached.apply(counted("k", 3), position);
    int reads = store.reads;
    uncached.apply(counted("k", 2), position);
    assertThat(store.reads).isEqualTo(reads + 1);

    var small = new KeyValueTarget<>(COUNTS, store, "counts_v1_3", 1);
    small.apply(counted("a", 1), position);
    small.apply(counted("b", 1), position); // pushes "a" out
    reads = store.reads;
    small.apply(counted("b", 1), position);
    assertThat(store.reads).as("b is cached").isEqualTo(reads);
    small.apply(counted("a", 1), position);
    assertThat(store.reads).as("a was pushed out").isEqualTo(reads + 1);
    assertThat(small.read("a")).isEqualTo(new Count(2));
    assertThat(small.read("b")).isEqualTo(new Count(2));
  }

  @Test
  void aBatchWhoseCommitFailsAfterTheStoreCommittedLeavesNoStaleValueBehind() {
    target.apply(counted("k", 3), position);
    store.failAfterNextCommit = true;
    assertThatThrownBy(() -> target.apply(counted("k", 2), position)).isInstanceOf(ViewStoreException.class);
    assertThat(target.read("k")).isEqualTo(new Count(5)); // the store has the batch after all

    target.apply(counted("k", 1), position);

    assertThat(target.read("k")).isEqualTo(new Count(6));
  }

  @Test
  void aFoldThatThrowsLeavesNoValueOfItsBatchBehind() {
    var failing = KeyValueView.builder("counts", TYPES, Count.class)
        .fold(event -> List.of(((Counted) event).key()), new Count(0), (count, event) -> {
          if (count.value() == 4) {
            throw new IllegalStateException("cannot count past 4");
          }
          return new Count(count.value() + 1);
        })
        .build();
    var failingTarget = new KeyValueTarget<>(failing, store, "counts_v2_2", 65_536);
    failingTarget.apply(counted("k", 3), position);
    assertThatThrownBy(() -> failingTarget.apply(counted("k", 2), position)).isInstanceOf(FoldException.class);

    failingTarget.apply(counted("k", 1), position);

    assertThat(failingTarget.read("k")).isEqualTo(new Count(4));
  }

  /** An in-memory view store that counts reads and can fail a commit after making it. */
  private static final class CountingStore implements ViewStore {
    private final InMemoryViewStore delegate = new InMemoryViewStore();
    int reads;
    boolean failAfterNextCommit;

    @Override
    public long checkpoint(String space) {
      return delegate.checkpoint(space);
    }

    @Override
    public byte @Nullable [] get(String space, String key) {
      reads++;
      return delegate.get(space, key);
    }

    @Override
    public void commit(String space, Map<String, byte @Nullable []> changes, long firstPosition, long checkpoint) {
      delegate.commit(space, changes, firstPosition, checkpoint);
      if (failAfterNextCommit) {
        failAfterNextCommit = false;
        throw new ViewStoreException("the connection broke after the commit", new java.io.IOException("connection reset"));
      }
    }

    @Override
    public @Nullable String liveSpace(String view) {
      return delegate.liveSpace(view);
    }

    @Override
    public void makeLive(String view, String space) {
      delegate.makeLive(view, space);
    }

    @Override
    public void drop(String space) {
      delegate.drop(space);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
