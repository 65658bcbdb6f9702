package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.Query;
import io.chiplog.api.RecordedEvent;
import io.chiplog.store.internal.read.EventReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that stalls holds one page; with large events the page is bounded by bytes, not
 * only by its event count, so a slow subscriber of 1 MiB events holds a few of them, not 512.
 */
class LargeEventSubscriptionTest {
  private static final int MIB = 1 << 20;

  @TempDir Path directory;

  @Test
  void aPageOfLargeEventsStopsAtItsByteBudgetAndLosesNothing() throws InterruptedException {
    try (var store = FileEventStore.open(directory)) {
      for (int i = 0; i < 40; i++) {
        store.append(AppendRequest.of(EventData.of("Big", new byte[MIB])));
      }

      try (var subscription = store.subscribe(Query.all(), 1)) {
        RecordedEvent first = subscription.poll(Duration.ofSeconds(5));
        int heldAfterFirst = subscription.bufferedEvents();
        long received = 1;
        long last = first.position();
        while (received < 40) {
          for (RecordedEvent event : subscription.poll(100, Duration.ofSeconds(5))) {
            assertThat(event.position()).isEqualTo(last + 1);
            last = event.position();
            received++;
          }
          assertThat(subscription.bufferedEvents()).isLessThanOrEqualTo((int) (EventReader.PAGE_DATA_BYTES_MAX / MIB));
        }

        assertThat(first.position()).isEqualTo(1);
        assertThat(heldAfterFirst).isLessThan((int) (EventReader.PAGE_DATA_BYTES_MAX / MIB));
        assertThat(last).isEqualTo(40);
      }
    }
  }
}
