package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.testkit.TestEvents;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a reader interrupted during a read (a cancelled request) closed the segment's only
 * channel, and every later read and append of the store failed until it was reopened.
 */
class InterruptedReaderTest {
  @TempDir Path directory;

  @Test
  void anInterruptedReaderFailsAloneAndTheStoreKeepsWorking() {
    try (var store = FileEventStore.open(directory)) {
      for (int i = 0; i < 100; i++) {
        store.append(AppendRequest.of(EventData.ofJson("E", "{\"i\":" + i + "}")));
      }

      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> TestEvents.readAll(store)).isInstanceOf(StoreException.Failed.class);
      } finally {
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
      }

      assertThat(TestEvents.readAll(store)).hasSize(100);
      assertThat(store.append(AppendRequest.of(EventData.of("After"))).firstPosition()).isEqualTo(101);
      assertThat(store.verify().isSound()).isTrue();
    }
  }
}
