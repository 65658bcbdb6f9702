package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.testkit.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Torn tails are cut on open; damage anywhere else is corruption, reported and never served. */
class RecoveryTest {
  @TempDir Path directory;

  private FileEventStore open() {
    return FileEventStore.open(StoreOptions.builder(directory).segmentSizeBytes(1 << 16).checkpointIntervalEvents(1_000).build());
  }

  private List<RecordedEvent> appendEvents(int count) {
    try (var store = open()) {
      for (int i = 0; i < count; i++) {
        store.append(AppendRequest.of(EventData.ofJson("Tick", "{\"i\":" + i + "}").withTags("n:" + i)).toStream("s-" + (i % 3)));
      }
      return TestEvents.readAll(store);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 8, 20, 60})
  void aTruncatedLastRecordIsCutAndEverythingBeforeItKept(int bytesCut) throws IOException {
    List<RecordedEvent> written = appendEvents(50);
    StoreFiles.cutRecordBytes(StoreFiles.lastSegment(directory), bytesCut);

    try (var store = open()) {
      assertThat(TestEvents.readAll(store)).isEqualTo(written.subList(0, 49));
      assertThat(store.verify().problems()).isEmpty();
      var next = store.append(AppendRequest.of(EventData.of("After")));
      assertThat(next.firstPosition()).isEqualTo(50);
    }
  }

  @Test
  void garbageAfterTheLastRecordIsCut() throws IOException {
    List<RecordedEvent> written = appendEvents(30);
    Files.write(StoreFiles.lastSegment(directory), new byte[] {0, 0, 1, 0, 7, 7, 7, 7, 1, 2, 3}, StandardOpenOption.APPEND);

    try (var store = open()) {
      assertThat(TestEvents.readAll(store)).isEqualTo(written);
      assertThat(store.verify().isSound()).isTrue();
    }
  }

  @Test
  void zeroedBytesAtTheTailAreCut() throws IOException {
    List<RecordedEvent> written = appendEvents(30);
    Files.write(StoreFiles.lastSegment(directory), new byte[4096], StandardOpenOption.APPEND);

    try (var store = open()) {
      assertThat(TestEvents.readAll(store)).isEqualTo(written);
    }
  }

  @Test
  void aFlippedByteInsideTheUncheckpointedLogIsCorruptionNotATornTail() throws IOException {
    Path image = directory.resolve("crash-image");
    try (var store = FileEventStore.open(StoreOptions.builder(directory.resolve("live")).checkpointIntervalEvents(1_000_000).build())) {
      for (int i = 0; i < 30; i++) {
        store.append(AppendRequest.of(EventData.ofJson("Tick", "{\"i\":" + i + "}")));
      }
      // Every append is acknowledged, hence durable; copying the files now is what a crash leaves.
      copyTree(directory.resolve("live"), image);
    }
    Path last = StoreFiles.lastSegment(image);
    StoreFiles.flipByte(last, 64 + 100);

    assertThatThrownBy(() -> FileEventStore.open(image))
        .isInstanceOf(StoreException.Corrupted.class)
        .hasMessageContaining(last.getFileName().toString())
        .hasMessageContaining("not a torn tail");
  }

  @Test
  void aTornTailInACrashImageIsCutAndTheRestRecovered() throws IOException {
    Path image = directory.resolve("crash-image");
    List<RecordedEvent> written;
    try (var store = FileEventStore.open(StoreOptions.builder(directory.resolve("live")).checkpointIntervalEvents(1_000_000).build())) {
      for (int i = 0; i < 30; i++) {
        store.append(AppendRequest.of(EventData.ofJson("Tick", "{\"i\":" + i + "}")));
      }
      written = TestEvents.readAll(store);
      copyTree(directory.resolve("live"), image);
    }
    StoreFiles.cutRecordBytes(StoreFiles.lastSegment(image), 10);

    try (var store = FileEventStore.open(image)) {
      assertThat(TestEvents.readAll(store)).isEqualTo(written.subList(0, 29));
    }
  }

  /** Appends 20 single events and then one batch of {@code batchSize}, and copies the files as a crash would leave them. */
  private List<RecordedEvent> crashImageEndingWithABatch(Path image, int batchSize) throws IOException {
    try (var store = FileEventStore.open(StoreOptions.builder(directory.resolve("live")).checkpointIntervalEvents(1_000_000).build())) {
      for (int i = 0; i < 20; i++) {
        store.append(AppendRequest.of(EventData.ofJson("Tick", "{\"i\":" + i + "}")));
      }
      List<RecordedEvent> before = TestEvents.readAll(store);
      store.append(AppendRequest.of(TestEvents.events(batchSize, "Batch")));
      copyTree(directory.resolve("live"), image);
      return before;
    }
  }

  @Test
  void anAppendTornThroughIsCutWhole() throws IOException {
    Path image = directory.resolve("crash-image");
    List<RecordedEvent> before = crashImageEndingWithABatch(image, 5);
    Path last = StoreFiles.lastSegment(image);
    List<Long> records = StoreFiles.recordOffsets(last);
    assertThat(records).hasSize(25);
    // Cut 10 bytes into the batch's third record: its first two are sound, but the append is not whole.
    StoreFiles.cutAt(last, records.get(22) + 10);

    try (var store = FileEventStore.open(image)) {
      assertThat(TestEvents.readAll(store)).isEqualTo(before);
      assertThat(store.append(AppendRequest.of(EventData.of("Next"))).firstPosition()).isEqualTo(21);
    }
  }

  @Test
  void damageInsideTheLastCommitFollowedByItsOwnRecordsIsATornWrite() throws IOException {
    Path image = directory.resolve("crash-image");
    List<RecordedEvent> before = crashImageEndingWithABatch(image, 5);
    Path last = StoreFiles.lastSegment(image);
    List<Long> records = StoreFiles.recordOffsets(last);
    assertThat(records).hasSize(25);
    // Pages of one commit may reach the disk in any order: damage its second record, keep the rest.
    StoreFiles.flipByte(last, records.get(21) + 30);

    try (var store = FileEventStore.open(image)) {
      assertThat(TestEvents.readAll(store)).isEqualTo(before);
      assertThat(store.verify().isSound()).isTrue();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Files.copy(source, to.resolve(from.relativize(source).toString()));
      }
    }
  }

  @Test
  void aFlippedByteInASealedCheckpointedSegmentIsNeverServedAndVerifyReportsIt() throws IOException {
    try (var store = FileEventStore.open(StoreOptions.builder(directory).segmentSizeBytes(1 << 16).checkpointIntervalEvents(10).build())) {
      for (int i = 0; i < 2_000; i++) {
        store.append(AppendRequest.of(EventData.ofJson("Tick", "{\"i\":" + i + "}")));
      }
    }
    Path first = StoreFiles.segments(directory).getFirst();
    assertThat(StoreFiles.segments(directory)).hasSizeGreaterThan(2);
    StoreFiles.flipByte(first, 64 + 200);

    try (var store = open()) {
      assertThatThrownBy(() -> TestEvents.readAll(store))
          .isInstanceOf(StoreException.Corrupted.class)
          .hasMessageContaining(first.getFileName().toString());
      assertThat(store.verify().problems()).anySatisfy(p -> assertThat(p).contains(first.getFileName().toString()).contains("crc32c"));
      // Events outside the damaged record are still served, also the one just before it.
      assertThat(TestEvents.read(store, Query.all(), ReadOptions.backwards().limit(10))).hasSize(10);
      assertThat(TestEvents.read(store, Query.all(), ReadOptions.forwards().limit(1))).hasSize(1);
    }
  }

  @Test
  void aDeletedIndexIsRebuiltFromTheLog() {
    List<RecordedEvent> written = appendEvents(300);

    FileEventStore.deleteIndex(directory);

    try (var store = open()) {
      assertThat(TestEvents.readAll(store)).isEqualTo(written);
      assertThat(TestEvents.readStream(store, "s-1", ReadOptions.forwards())).hasSize(100);
      assertThat(TestEvents.readAll(store, Query.tags("n:7"))).hasSize(1);
      assertThat(store.verify().isSound()).isTrue();
    }
  }

  @Test
  void reopeningManyTimesKeepsEveryEvent() {
    List<RecordedEvent> all = List.of();
    for (int round = 0; round < 5; round++) {
      all = appendEvents(40);
    }
    assertThat(all).hasSize(200);
    assertThat(all).extracting(RecordedEvent::position).containsExactlyElementsOf(
        java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
  }
}
