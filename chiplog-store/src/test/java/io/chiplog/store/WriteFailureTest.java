package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.RecordedEvent;
import io.chiplog.testkit.TestEvents;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failed write or fsync fails its appends with a clear error, shows nothing half-written, and
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
}
