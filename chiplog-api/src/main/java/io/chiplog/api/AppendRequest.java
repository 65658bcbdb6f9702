package io.chiplog.api;

import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An atomic append: all of its events are written, or none. Optionally to a stream with an
 * expected revision, optionally guarded by a DCB {@link AppendCondition}; both checks can be
 * combined.
 *
 * <pre>{@code
 * AppendRequest.of(bookAdded)
 *     .toStream("book-42", ExpectedRevision.noStream())
 *     .withCondition(AppendCondition.failIfEventsMatch(boundary).after(lastRead));
 * }</pre>
 *
 * @param events the events, at least one, with distinct ids
 * @param stream the stream they join, or null
 * @param expectedRevision what the stream's last revision must be; {@link ExpectedRevision#any()}
 *     when there is no stream
 * @param condition the DCB check, or null
 * @throws InvalidEventException naming the field that breaks a rule
 */
public record AppendRequest(
    List<EventData> events,
    @Nullable String stream,
    ExpectedRevision expectedRevision,
    @Nullable AppendCondition condition) {

  /** Validates and copies. */
  public AppendRequest {
    if (events == null) {
      throw new InvalidEventException("events", "must not be null");
    }
    if (events.isEmpty()) {
      throw new InvalidEventException("events", "must hold at least one event");
    }
    var firstIndexById = new HashMap<UUID, Integer>();
    for (int i = 0; i < events.size(); i++) {
      EventData event = events.get(i);
      if (event == null) {
        throw new InvalidEventException("events[" + i + "]", "must not be null");
      }
      Integer earlier = firstIndexById.putIfAbsent(event.id(), i);
      if (earlier != null) {
        throw new InvalidEventException(
            "events[" + i + "].id", "duplicates events[" + earlier + "].id " + event.id());
      }
    }
    events = List.copyOf(events);
    if (stream != null) {
      NamingRules.checkStream(stream, "stream");
    }
    if (expectedRevision == null) {
      throw new InvalidEventException("expectedRevision", "must not be null");
    }
    if (stream == null && !(expectedRevision instanceof ExpectedRevision.Any)) {
      throw new InvalidEventException(
          "expectedRevision", "needs a stream, but the append has none: " + expectedRevision);
    }
  }

  /** An append of these events, with no stream and no condition. */
  public static AppendRequest of(EventData... events) {
    return of(List.of(events));
  }

  /** An append of these events, with no stream and no condition. */
  public static AppendRequest of(List<EventData> events) {
    return new AppendRequest(events, null, ExpectedRevision.any(), null);
  }

  /** This append into {@code streamName}, at its end whatever its revision. */
  public AppendRequest toStream(String streamName) {
    return toStream(streamName, ExpectedRevision.any());
  }

  /** This append into {@code streamName}, requiring {@code expected} of it. */
  public AppendRequest toStream(String streamName, ExpectedRevision expected) {
    return new AppendRequest(events, streamName, expected, condition);
  }

  /** This append guarded by {@code newCondition}. */
  public AppendRequest withCondition(AppendCondition newCondition) {
    return new AppendRequest(events, stream, expectedRevision, newCondition);
  }

  /** The number of events. */
  public int size() {
    return events.size();
  }
}
