package io.chiplog.testkit;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Small builders and readers that keep the contract tests to their point. */
public final class TestEvents {
  private static final AtomicLong SERIAL = new AtomicLong();

  private TestEvents() {}

  /** An event of {@code type} with these tags and a small, distinct JSON payload. */
  public static EventData event(String type, String... tags) {
    return EventData.ofJson(type, "{\"serial\":" + SERIAL.incrementAndGet() + "}").withTags(tags);
  }

  /** {@code count} events of {@code type} with these tags. */
  public static List<EventData> events(int count, String type, String... tags) {
    var out = new ArrayList<EventData>(count);
    for (int i = 0; i < count; i++) {
      out.add(event(type, tags));
    }
    return out;
  }

  /** Appends the events with no stream and no condition. */
  public static AppendResult append(EventStore store, EventData... events) {
    return store.append(AppendRequest.of(events));
  }

  /** Appends the events to {@code stream} with {@code expected}. */
  public static AppendResult appendTo(
      EventStore store, String stream, ExpectedRevision expected, EventData... events) {
    return store.append(AppendRequest.of(events).toStream(stream, expected));
  }

  /** Every event in the store, oldest first. */
  public static List<RecordedEvent> readAll(EventStore store) {
    return read(store, Query.all(), ReadOptions.forwards());
  }

  /** Every event matching {@code query}, oldest first. */
  public static List<RecordedEvent> readAll(EventStore store, Query query) {
    return read(store, query, ReadOptions.forwards());
  }

  /** The events a read returns, collected. */
  public static List<RecordedEvent> read(EventStore store, Query query, ReadOptions options) {
    try (Stream<RecordedEvent> events = store.read(query, options)) {
      return events.toList();
    }
  }

  /** The events of a stream a read returns, collected. */
  public static List<RecordedEvent> readStream(
      EventStore store, String stream, ReadOptions options) {
    try (Stream<RecordedEvent> events = store.readStream(stream, options)) {
      return events.toList();
    }
  }

  /** The positions of the events. */
  public static List<Long> positions(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::position).toList();
  }

  /** The ids of the events, in order. */
  public static List<java.util.UUID> ids(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::id).toList();
  }

  /** The ids of the written events, in order. */
  public static List<java.util.UUID> idsOf(List<EventData> events) {
    return events.stream().map(EventData::id).toList();
  }
}
