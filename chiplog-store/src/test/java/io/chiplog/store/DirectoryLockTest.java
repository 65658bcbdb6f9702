package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two stores on one directory would interleave their records: the second open is refused. */
class DirectoryLockTest {
  @TempDir Path directory;

  @Test
  void aDirectoryIsOpenedByOneStoreAtATime() {
    try (var first = FileEventStore.open(directory)) {
      first.append(AppendRequest.of(EventData.of("A")));

      assertThatThrownBy(() -> FileEventStore.open(directory))
          .isInstanceOf(StoreException.Failed.class)
          .hasMessageContaining("already open");
      assertThat(first.head()).isEqualTo(1);
    }
    try (var again = FileEventStore.open(directory)) {
      assertThat(again.head()).isEqualTo(1);
    }
  }
}
