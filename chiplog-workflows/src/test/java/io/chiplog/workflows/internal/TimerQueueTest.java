package io.chiplog.workflows.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimerQueueTest {

  @Test
  void eachTimerNotCancelledFiresOnceAtOrAfterItsTimeAndCancelledOnesNever() throws Exception {
    int timers = 20_000;
    var pending = new AtomicInteger();
    var fired = new ConcurrentHashMap<Integer, Long>();
    var early = new AtomicInteger();
    var twice = new AtomicInteger();
    var random = new SplittableRandom(7);
    var entries = new ArrayList<TimerQueue.Entry>();
    List<Integer> kept = new ArrayList<>();
    CountDownLatch done;
    try (var queue = new TimerQueue(InstantSource.system())) {
      long start = System.currentTimeMillis();
      var due = new long[timers];
      for (int i = 0; i < timers; i++) {
        due[i] = start + 1_000 + random.nextInt(300);  // after the cancels below
        if (i % 2 == 0) {
          kept.add(i);
        }
      }
      done = new CountDownLatch(kept.size());
      for (int i = 0; i < timers; i++) {
        int id = i;
        entries.add(queue.schedule(due[i], pending, () -> {
          long now = System.currentTimeMillis();
          if (now < due[id]) {
            early.incrementAndGet();
          }
          if (fired.putIfAbsent(id, now) != null) {
            twice.incrementAndGet();
          }
          done.countDown();
        }));
      }
      for (int i = 1; i < timers; i += 2) {
        entries.get(i).cancel();
        entries.get(i).cancel();  // twice does nothing
      }
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(fired.keySet()).containsExactlyInAnyOrderElementsOf(kept);
    assertThat(early).hasValue(0);
    assertThat(twice).hasValue(0);
    assertThat(pending).hasValue(0);
  }

  @Test
  void aTimerDueSoonerThanTheHeadWakesTheThreadAtItsTime() throws Exception {
    var pending = new AtomicInteger();
    var soon = new CountDownLatch(1);
    try (var queue = new TimerQueue(InstantSource.system())) {
      queue.schedule(System.currentTimeMillis() + 60_000, pending, () -> { });
      long due = System.currentTimeMillis() + 50;
      queue.schedule(due, pending, soon::countDown);
      assertThat(soon.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due);
      assertThat(pending).hasValue(1);
    }
  }
}
