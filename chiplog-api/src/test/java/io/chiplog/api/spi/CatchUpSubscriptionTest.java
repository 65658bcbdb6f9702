package io.chiplog.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.Query;
import io.chiplog.api.memory.InMemoryEventStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CatchUpSubscriptionTest {

  /**
   * Regression: close() could set its flag and signal between the poller's check of the flag and
   * its wait, and the poller then slept for its whole timeout. Racing the two many times makes
   * that window likely; every poll must end long before its one-minute timeout.
   */
  @Test
  void closeNeverLosesTheWakeUpOfABlockedPoll() throws Exception {
    try (var store = InMemoryEventStore.create()) {
      for (int round = 0; round < 500; round++) {
        var subscription = store.subscribe(Query.all(), 0);
        var poll = CompletableFuture.supplyAsync(() -> {
          try {
            return subscription.poll(10, Duration.ofMinutes(1)).size();
          } catch (InterruptedException | IllegalStateException e) {
            return -1;
          }
        });
        subscription.close();
        assertThat(poll.get(10, TimeUnit.SECONDS)).as("round %d", round).isLessThanOrEqualTo(0);
      }
    }
  }

  @Test
  void aStalledSubscriptionFetchesNothingUntilItPolls() throws Exception {
    try (var store = InMemoryEventStore.create();
        var subscription = store.subscribe(Query.all(), 0)) {
      for (int i = 0; i < 1_000; i++) {
        store.append(AppendRequest.of(EventData.of("E")));
      }
      assertThat(subscription.bufferedEvents()).isZero();

      assertThat(subscription.poll(1, Duration.ZERO)).hasSize(1);
      assertThat(subscription.bufferedEvents())
          .isEqualTo(InMemoryEventStore.SUBSCRIPTION_BUFFER_CAPACITY - 1);
    }
  }
}
