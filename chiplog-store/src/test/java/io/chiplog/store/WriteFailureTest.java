package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.RecordedEvent;
import io.chiplog.testkit.TestEvents;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regressions from review: a failed fsync of a batch that rolled the log, and a conflict caused
 * by an event of a batch whose fsync then failed.
 *
 * <p>A failed write or fsync fails its appends with a clear error, shows nothing half-written, and
 * makes the store refuse appends until it is reopened; reopening recovers exactly the
 * acknowledged appends and the store works again.
 */
class WriteFailureTest {
  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(value = FailingFileIo.Mode.class, names = {"DISK_FULL_MID_WRITE", "FORCE_FAILS"})
  void aFailedWriteLosesNothingAcknowledgedAndShowsNothingUnacknowledged(FailingFileIo.Mode failure) {
    var io = new FailingFileIo();
    List<RecordedEvent> acknowledged;
    try (var store = FileEventStore.open(StoreOptions.builder(directory).fileIo(io).build())) {
      for (int i = 0; i < 10; i++) {
        store.append(AppendRequest.of(EventData.ofJson("Before", "{\"i\":" + i + "}")).toStream("s"));
      }
      acknowledged = TestEvents.readAll(store);
      io.set(failure);

      assertThatThrownBy(() -> store.append(AppendRequest.of(TestEvents.events(5, "Lost"))))
          .isInstanceOf(StoreException.Failed.class)
          .hasMessageContaining("positions 11..15")
          .hasMessageContaining("refuses appends until it is reopened");
      io.set(FailingFileIo.Mode.HEALTHY);

      assertThat(store.head()).isEqualTo(10);
      assertThat(TestEvents.readAll(store)).isEqualTo(acknowledged);
      assertThatThrownBy(() -> store.append(AppendRequest.of(EventData.of("Refused"))))
          .isInstanceOf(StoreException.Failed.class);
    }

    try (var store = FileEventStore.open(StoreOptions.builder(directory).fileIo(io).build())) {
      assertThat(TestEvents.readAll(store)).isEqualTo(acknowledged);
      assertThat(store.verify().isSound()).isTrue();
      var next = store.append(AppendRequest.of(EventData.of("After")).toStream("s"));
      assertThat(next.firstPosition()).isEqualTo(11);
      assertThat(next.streamRevision()).isEqualTo(10);
    }
  }

  @org.junit.jupiter.api.Test
  void aFailedFsyncOfABatchThatRolledTheLogIsCutToo() {
    var io = new FailingFileIo();
    var options = StoreOptions.builder(directory).fileIo(io).segmentSizeBytes(1 << 16).build();
    String big = "{\"pad\":\"" + "x".repeat(40_000) + "\"}";
    try (var store = FileEventStore.open(options)) {
      store.append(AppendRequest.of(EventData.ofJson("Filler", big)));
      io.set(FailingFileIo.Mode.DATA_FORCE_FAILS);

      // 40 KB more does not fit the 64 KiB segment: this batch rolls the log, then its fsync fails.
      assertThatThrownBy(() -> store.append(AppendRequest.of(EventData.ofJson("Failed", big))))
          .isInstanceOf(StoreException.Failed.class);
      io.set(FailingFileIo.Mode.HEALTHY);
    }

    try (var store = FileEventStore.open(options)) {
      assertThat(TestEvents.readAll(store)).extracting(RecordedEvent::type).containsExactly("Filler");
      assertThat(store.append(AppendRequest.of(EventData.of("Next"))).firstPosition()).isEqualTo(2);
    }
  }

  @org.junit.jupiter.api.Test
  void aConflictOnAnEventWhoseFsyncFailedIsNotReportedAsAConflict() throws Exception {
    var io = new FailingFileIo();
    try (var store = FileEventStore.open(StoreOptions.builder(directory).fileIo(io).build())) {
      io.set(FailingFileIo.Mode.DATA_FORCE_BLOCKS_THEN_FAILS);
      var first = store.appendAsync(AppendRequest.of(EventData.of("Filler")));
      io.awaitBlocked();
      // Both queue behind the blocked commit, so they share the next one: A is accepted, B conflicts on A.
      var a = store.appendAsync(AppendRequest.of(EventData.of("A")).toStream("order-1", ExpectedRevision.noStream()));
      var b = store.appendAsync(AppendRequest.of(EventData.of("B")).toStream("order-1", ExpectedRevision.noStream()));
      io.release();

      assertThat(first.get(30, TimeUnit.SECONDS).firstPosition()).isEqualTo(1);
      assertThatThrownBy(() -> a.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.Failed.class);
      // A never became durable, so B must not be told that order-1 exists.
      assertThatThrownBy(() -> b.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.Failed.class);
    }
  }

  @org.junit.jupiter.api.Test
  void limitsBeyondWhatOneRecordCanHoldAreRefusedUpFront() {
    assertThatThrownBy(() -> StoreOptions.builder(directory).limits(new io.chiplog.api.StoreLimits(1L << 30, 2L << 30)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most");
  }
}
