package io.chiplog.bench;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The data every benchmark writes and the prefilled stores they read: ~200-byte JSON payloads,
 * one or two tags ({@code category:N} of {@link #CATEGORIES}, half also {@code customer:M}), four
 * event types, streams {@code stream-K} of {@link #STREAM_LENGTH} events each.
 */
public final class Fixtures {
  /** Categories for the tag {@code category:N}. */
  public static final int CATEGORIES = 100;

  /** Events per prefilled stream, and per prefill append. */
  public static final int STREAM_LENGTH = 100;

  /** The event types of prefilled events; the last one is what the DCB workload appends. */
  public static final List<String> TYPES = List.of("ItemAdded", "ItemRemoved", "PriceChanged", "NumberAssigned");

  private static final String FILLER = "x".repeat(256);

  private Fixtures() {}

  /** A random id from a fast generator (UUID.randomUUID's SecureRandom would be the bottleneck). */
  public static UUID id(SplittableRandom random) {
    return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | Long.MIN_VALUE);
  }

  /** A JSON object of about 200 bytes. */
  public static String payload(SplittableRandom random, long n) {
    String head = "{\"orderId\":\"" + id(random) + "\",\"customer\":\"customer-" + random.nextInt(100_000)
        + "\",\"amount\":" + random.nextInt(1_000_000) + ",\"currency\":\"EUR\",\"n\":" + n + ",\"note\":\"";
    return head + FILLER.substring(0, Math.max(0, 200 - head.length() - 2)) + "\"}";
  }

  /** An event of a random type with the tag {@code category:(n % 100)} and, for odd n, a customer tag. */
  public static EventData event(SplittableRandom random, long n) {
    String type = TYPES.get((int) (n % TYPES.size()));
    EventData event = EventData.ofJson(type, payload(random, n)).withId(id(random));
    String category = "category:" + (n % CATEGORIES);
    return (n & 1) == 0 ? event.withTags(category) : event.withTags(category, "customer:" + random.nextInt(10_000));
  }

  /** {@code count} events starting at sequence number {@code n}. */
  public static List<EventData> events(SplittableRandom random, long n, int count) {
    var events = new ArrayList<EventData>(count);
    for (int i = 0; i < count; i++) {
      events.add(event(random, n + i));
    }
    return events;
  }

  /**
   * Makes sure {@code directory} holds at least {@code events} events (rounded up to whole
   * streams), appending whole {@code stream-K} streams with {@link Durability#NO_FSYNC} and
   * {@code inFlight} appends pipelined. Returns the head.
   */
  public static long prefill(Path directory, long events, int inFlight) {
    var options = StoreOptions.builder(directory).durability(Durability.NO_FSYNC).build();
    try (var store = FileEventStore.open(options)) {
      long head = store.head();
      long streams = (events + STREAM_LENGTH - 1) / STREAM_LENGTH;
      long existing = head / STREAM_LENGTH;
      if (existing >= streams) {
        return head;
      }
      var random = new SplittableRandom(existing);
      var pending = new ArrayDeque<CompletableFuture<AppendResult>>();
      long started = System.nanoTime();
      for (long k = existing; k < streams; k++) {
        var request = AppendRequest.of(events(random, k * STREAM_LENGTH, STREAM_LENGTH))
            .toStream(streamName(k), ExpectedRevision.noStream());
        pending.add(store.appendAsync(request));
        if (pending.size() >= inFlight) {
          pending.poll().join();
        }
        if (k % 10_000 == 0 && k > existing) {
          System.err.printf("prefill: %,d events, %,.0f events/s%n", k * STREAM_LENGTH,
              (k - existing) * STREAM_LENGTH / ((System.nanoTime() - started) / 1e9));
        }
      }
      pending.forEach(CompletableFuture::join);
      return store.head();
    }
  }

  /** The name of prefilled stream {@code k}. */
  public static String streamName(long k) {
    return "stream-" + k;
  }

  /** A new empty directory under the system temp directory, or under {@code parent} if given. */
  public static Path tempDirectory(String prefix) {
    try {
      String parent = System.getProperty("chiplog.bench.dir");
      return parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(Path.of(parent), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory tree. */
  public static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resident memory of this process from {@code /proc/self/status} (VmRSS), in KiB, or -1. */
  public static long residentKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
