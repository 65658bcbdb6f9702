package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.testkit.TestEvents;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index runs merged in the background keep every key's positions, in order. */
class IndexMergeTest {
  @TempDir Path directory;

  @Test
  void streamsTagsAndIdsSurviveManyCheckpointsAndMerges() {
    var options = StoreOptions.builder(directory).checkpointIntervalEvents(16).durability(Durability.NO_FSYNC).build();
    try (var store = FileEventStore.open(options)) {
      for (int i = 0; i < 2_000; i++) {
        ExpectedRevision expected = i == 0 ? ExpectedRevision.noStream() : ExpectedRevision.exactly(i - 1);
        store.append(AppendRequest.of(EventData.of("Tick").withTags("mod:" + (i % 7))).toStream("one", expected));
      }
      assertThat(TestEvents.readStream(store, "one", ReadOptions.forwards())).hasSize(2_000);
      assertThat(TestEvents.readAll(store, Query.tags("mod:3"))).hasSize(286);
      assertThat(store.verify().problems()).isEmpty();
    }
    try (var store = FileEventStore.open(options)) {
      assertThat(TestEvents.readStream(store, "one", ReadOptions.backwards().limit(1)).getFirst().revision()).isEqualTo(1_999);
      assertThat(store.verify().problems()).isEmpty();
    }
  }

  @Test
  void runsLeftByShortRunsOfTheStoreAreMergedAtTheNextOpen() {
    var options = StoreOptions.builder(directory).checkpointIntervalEvents(1_000).durability(Durability.NO_FSYNC).build();
    for (int run = 0; run < 12; run++) {
      try (var store = FileEventStore.open(options)) {
        store.append(AppendRequest.of(EventData.of("Run")));
      }
    }
    try (var store = FileEventStore.open(options)) {
      assertThat(TestEvents.readAll(store)).hasSize(12);
    }
    assertThat(directory.resolve("index").toFile().list((d, name) -> name.startsWith("run-")))
        .as("index runs left after 13 opens").hasSizeLessThan(6);
  }
}
