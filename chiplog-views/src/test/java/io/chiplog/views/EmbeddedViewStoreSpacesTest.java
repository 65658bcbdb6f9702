package io.chiplog.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.views.Tallies.Tally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedViewStoreSpacesTest {
  @TempDir Path directory;

  private static byte[] bytes(String value) {
    return value.getBytes(UTF_8);
  }

  private static Map<String, byte @Nullable []> changes(String key, byte @Nullable [] value) {
    var changes = new HashMap<String, byte @Nullable []>();
    changes.put(key, value);
    return changes;
  }

  @Test
  void committedValuesAndCheckpointsAreReadBackAfterAReopen() {
    Path file = directory.resolve("views.db");
    try (var store = EmbeddedViewStore.open(file)) {
      assertThat(store.get("s_v1_1", "a")).isNull();
      store.commit("s_v1_1", Map.of("a", bytes("1"), "b", bytes("2")), 1, 10);
      store.commit("s_v1_1", changes("b", null), 11, 11);
      store.makeLive("s", "s_v1_1");
      assertThat(store.get("s_v1_1", "a")).isEqualTo(bytes("1"));
    }
    try (var store = EmbeddedViewStore.open(file)) {
      assertThat(store.get("s_v1_1", "a")).isEqualTo(bytes("1"));
      assertThat(store.get("s_v1_1", "b")).isNull();
      assertThat(store.checkpoint("s_v1_1")).isEqualTo(11);
      assertThat(store.liveSpace("s")).isEqualTo("s_v1_1");
    }
  }

  @Test
  void aDroppedSpaceReadsAsEmptyAndAReadDoesNotCreateItAgain() {
    Path file = directory.resolve("views.db");
    try (var store = EmbeddedViewStore.open(file)) {
      store.commit("s_v1_1", Map.of("a", bytes("1")), 1, 5);
      assertThat(store.get("s_v1_1", "a")).isNotNull();

      store.drop("s_v1_1");

      assertThat(store.get("s_v1_1", "a")).isNull();
      assertThat(store.checkpoint("s_v1_1")).isZero();
      store.commit("s_v1_2", Map.of("x", bytes("2")), 1, 6); // commits whatever a read might have created
    }
    try (var store = EmbeddedViewStore.open(file)) {
      assertThat(store.get("s_v1_1", "a")).isNull();
      assertThat(store.get("s_v1_2", "x")).isEqualTo(bytes("2"));
    }
  }

  @Test
  void aReadAfterCloseFails() {
    var store = EmbeddedViewStore.open(directory.resolve("views.db"));
    store.commit("s_v1_1", Map.of("a", bytes("1")), 1, 1);
    store.close();

    assertThatThrownBy(() -> store.get("s_v1_1", "a")).isInstanceOf(ViewStoreException.class);
  }

  @Test
  void aViewKeptInTheEmbeddedStoreIsTheFoldOfTheLogBeforeAndAfterARebuild() throws Exception {
    var events = InMemoryEventStore.create();
    try (events; var store = EmbeddedViewStore.open(directory.resolve("views.db"));
        var views = Views.builder(events, store).options(ViewOptions.defaults().withBatchSizeMax(500)).add(Tallies.view(1)).start()) {
      long last = Tallies.append(events, new Random(11), 6_000, 40);
      views.awaitPosition("tallies", last, Duration.ofSeconds(30));
      assertThat(contents(views.reader(Tallies.view(1)))).isEqualTo(Tallies.fromScratch(events, last));

      views.rebuild(Tallies.view(2)).get(30, TimeUnit.SECONDS);
      last = Tallies.append(events, new Random(12), 1_000, 40);
      views.awaitPosition("tallies", last, Duration.ofSeconds(30));

      assertThat(contents(views.reader(Tallies.view(2)))).isEqualTo(Tallies.fromScratch(events, last));
      assertThat(store.get("tallies_v1_1", "k1")).as("the old version is dropped").isNull();
    }
  }

  private static Map<String, Tally> contents(ViewReader<Tally> reader) {
    var values = new HashMap<String, Tally>();
    for (int i = 0; i < 40; i++) {
      Tally tally = reader.get("k" + i);
      if (tally != null) {
        values.put("k" + i, tally);
      }
    }
    return values;
  }
}
