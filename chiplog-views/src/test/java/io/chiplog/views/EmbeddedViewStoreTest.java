package io.chiplog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.views.Tallies.Tally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedViewStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final InMemoryEventStore events = InMemoryEventStore.create();

  @AfterEach
  void closeEvents() {
    events.close();
  }

  private Path file() {
    return dir.resolve("views.db");
  }

  @Test
  void aViewResumesFromItsCheckpointAfterARestart() {
    long first = Tallies.append(events, new Random(1), 2_000, 40);
    try (var store = EmbeddedViewStore.open(file()); var views = Views.builder(events, store).add(Tallies.view(1)).start()) {
      views.awaitPosition("tallies", first, WAIT);
    }
    long second = Tallies.append(events, new Random(2), 2_000, 40);
    try (var store = EmbeddedViewStore.open(file())) {
      assertThat(store.checkpoint("tallies_v1_1")).isEqualTo(first);
      try (var views = Views.builder(events, store).add(Tallies.view(1)).start()) {
        assertThat(views.position("tallies")).as("known from the checkpoint at once").isGreaterThanOrEqualTo(first);
        ViewReader<Tally> reader = views.reader(Tallies.view(1));
        reader.get("k0", second, WAIT);
        assertThat(ViewsTest.contents(reader)).isEqualTo(Tallies.fromScratch(events, second));
        assertThat(views.status("tallies").position()).isEqualTo(second);
      }
    }
  }

  @Test
  void aNewVersionAtStartIsBuiltBesideTheOldOneWhichServesUntilTheSwitch() throws Exception {
    long written = Tallies.append(events, new Random(3), 3_000, 40);
    try (var store = EmbeddedViewStore.open(file()); var views = Views.builder(events, store).add(Tallies.view(1)).start()) {
      views.awaitPosition("tallies", written, WAIT);
    }
    try (var store = EmbeddedViewStore.open(file())) {
      Map<String, Tally> before = Tallies.fromScratch(events, written);
      // The next version starts building at once; until it switches, readers read version 1.
      try (var views = Views.builder(events, store).add(Tallies.view(2)).start()) {
        ViewReader<Tally> reader = views.reader(Tallies.view(2));
        assertThat(ViewsTest.contents(reader)).isEqualTo(before);
        views.awaitPosition("tallies", written, WAIT);
        assertThat(views.switchOver("tallies").get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
        assertThat(store.liveSpace("tallies")).isEqualTo("tallies_v2_2");
        assertThat(store.checkpoint("tallies_v1_1")).as("the old version is dropped").isZero();
        assertThat(store.get("tallies_v1_1", "k1")).isNull();
        assertThat(ViewsTest.contents(reader)).isEqualTo(before);
      }
    }
  }

  @Test
  void aCommitIsAllOrNothingAndACloseWritesNothingUncommitted() {
    try (var store = EmbeddedViewStore.open(file())) {
      store.commit("s", Map.of("a", new byte[] {1}, "b", new byte[] {2}), 1, 7);
      store.commit("s", java.util.Collections.singletonMap("a", null), 8, 9);
    }
    try (var store = EmbeddedViewStore.open(file())) {
      assertThat(store.checkpoint("s")).isEqualTo(9);
      assertThat(store.get("s", "a")).isNull();
      assertThat(store.get("s", "b")).containsExactly(2);
      store.makeLive("view", "s");
      store.drop("s");
    }
    try (var store = EmbeddedViewStore.open(file())) {
      assertThat(store.checkpoint("s")).isZero();
      assertThat(store.get("s", "b")).isNull();
      assertThat(store.liveSpace("view")).isEqualTo("s");
    }
  }

  @Test
  void aFileOpenInAnotherStoreIsRefusedClearly() {
    try (var store = EmbeddedViewStore.open(file())) {
      assertThat(store.checkpoint("s")).isZero();
      assertThatThrownBy(() -> EmbeddedViewStore.open(file()))
          .isInstanceOf(ViewStoreException.class)
          .hasMessageContaining("cannot open the view store");
    }
  }
}
