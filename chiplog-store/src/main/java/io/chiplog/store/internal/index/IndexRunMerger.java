package io.chiplog.store.internal.index;

import io.chiplog.store.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merges consecutive index runs into one, so that a lookup visits few runs however long the
 * store has been running. The runs' keys are merged in order; a key's positions are the
 * concatenation of its positions in each run, oldest first, which keeps them ascending because
 * consecutive runs cover consecutive position ranges.
 *
 * <p>Two passes over the inputs: the first counts (the layout needs the sizes up front), the
 * second writes each section at its offset. Stateless; runs on the merger thread.
 */
final class IndexRunMerger {
  private IndexRunMerger() {}

  /** Writes the merge of {@code runs} (oldest first) to {@code path} and maps it. */
  static IndexRun merge(List<IndexRun> runs, Path path, FileIo fileIo) throws IOException {
    long keys = 0;
    long postings = 0;
    long keyBytes = 0;
    for (var merge = new KeyMerge(runs); merge.next(); ) {
      keys++;
      postings += merge.count();
      keyBytes += merge.key().length;
    }
    if (keys > Integer.MAX_VALUE) {
      throw new IOException("too many keys to merge into one run: " + keys);
    }
    long keysOffset = IndexRun.HEADER_SIZE + postings * Long.BYTES;
    long bloomOffset = keysOffset + keyBytes;
    int bloomSize = BloomFilter.sizeBytes((int) keys);
    long directoryOffset = bloomOffset + bloomSize;
    var bloom = ByteBuffer.allocate(bloomSize);
    Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel channel = fileIo.openForWriting(temporary)) {
      channel.truncate(0);
      var postingsOut = new SectionWriter(channel, IndexRun.HEADER_SIZE);
      var keysOut = new SectionWriter(channel, keysOffset);
      var directoryOut = new SectionWriter(channel, directoryOffset);
      for (var merge = new KeyMerge(runs); merge.next(); ) {
        byte[] key = merge.key();
        directoryOut.putLong(postingsOut.offset()).putLong(keysOut.offset()).putInt(key.length).putInt(merge.count());
        for (IndexRun.Part part : merge.parts()) {
          for (int i = 0; i < part.count(); i++) {
            postingsOut.putLong(part.get(i));
          }
        }
        keysOut.put(key);
        BloomFilter.add(bloom, 0, bloomSize, key);
      }
      postingsOut.flush();
      keysOut.flush();
      directoryOut.flush();
      var bloomOut = new SectionWriter(channel, bloomOffset);
      bloomOut.put(bloom.array());
      bloomOut.flush();
      var header = new SectionWriter(channel, 0);
      header.putLong(IndexRun.MAGIC).putInt(IndexRun.FORMAT_VERSION).putInt((int) keys)
          .putLong(runs.getFirst().firstPosition()).putLong(runs.getLast().lastPosition())
          .putLong(bloomOffset).putInt(bloomSize).putInt(0).putLong(directoryOffset).putLong(0);
      header.flush();
      channel.force(/* metaData= */ true);
    }
    IndexRun merged = IndexRun.open(temporary);
    checkHoldsTheEndsOf(runs, merged);
    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    fileIo.syncDirectory(path.getParent());
    return IndexRun.open(path);
  }

  /**
   * Reads back, through the merged run's own lookup path (Bloom filter and binary search), the
   * first and last key of every input: a cheap check that the file is what was meant before it
   * replaces its inputs.
   */
  private static void checkHoldsTheEndsOf(List<IndexRun> runs, IndexRun merged) throws IOException {
    for (IndexRun run : runs) {
      for (int i : new int[] {0, run.keyCount() - 1}) {
        if (i < 0) {
          continue;
        }
        byte[] key = run.keyAt(i);
        IndexRun.Part found = merged.find(key);
        if (found == null || found.count() < run.partAt(i).count()) {
          throw new IOException("merged run " + merged.path().getFileName() + " lost a key of " + run.path().getFileName());
        }
      }
    }
  }

  /** The keys of several runs in unsigned byte order, with their parts oldest first. */
  private static final class KeyMerge {
    private final List<IndexRun> runs;
    private final int[] next;
    private final byte[][] heads;
    private byte[] key = new byte[0];
    private final List<IndexRun.Part> parts = new ArrayList<>();
    private int count;

    KeyMerge(List<IndexRun> runs) {
      this.runs = runs;
      this.next = new int[runs.size()];
      this.heads = new byte[runs.size()][];
      for (int r = 0; r < runs.size(); r++) {
        heads[r] = runs.get(r).keyCount() > 0 ? runs.get(r).keyAt(0) : null;
      }
    }

    boolean next() {
      byte[] smallest = null;
      for (byte[] head : heads) {
        if (head != null && (smallest == null || Arrays.compareUnsigned(head, smallest) < 0)) {
          smallest = head;
        }
      }
      if (smallest == null) {
        return false;
      }
      key = smallest;
      parts.clear();
      count = 0;
      for (int r = 0; r < runs.size(); r++) {
        if (heads[r] != null && Arrays.equals(heads[r], smallest)) {
          IndexRun.Part part = runs.get(r).partAt(next[r]);
          parts.add(part);
          count += part.count();
          next[r]++;
          heads[r] = next[r] < runs.get(r).keyCount() ? runs.get(r).keyAt(next[r]) : null;
        }
      }
      return true;
    }

    byte[] key() {
      return key;
    }

    int count() {
      return count;
    }

    List<IndexRun.Part> parts() {
      return parts;
    }
  }
}
