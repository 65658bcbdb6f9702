package io.chiplog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.protocol.AppendJson;
import io.chiplog.protocol.EventJson;
import io.chiplog.protocol.MalformedRequestException;
import io.chiplog.protocol.QueryJson;
import io.chiplog.protocol.WireJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chiplog append}: one event from flags, or events as NDJSON on stdin (one event object
 * per line, the shape of {@code POST /v1/append}'s {@code events}). Prints each append's result.
 */
@Command(
    name = "append",
    mixinStandardHelpOptions = true,
    description = {
      "Append one event given by --type (and --tag/--event-data/--event-metadata/--id),",
      "or, without --type, events read as NDJSON from stdin (one event object per line:",
      "{\"type\":\"BookAdded\",\"tags\":[\"category:fiction\"],\"data\":{...}}).",
      "Stdin events form one atomic append, or appends of --batch events each."
    })
final class AppendCommand implements Callable<Integer> {
  @Mixin StoreTarget target;

  @Option(names = "--type", description = "The event's type; without it, events come from stdin.")
  @Nullable String type;

  @Option(names = "--tag", description = "A tag (repeatable), e.g. --tag category:fiction.")
  List<String> tags = new ArrayList<>();

  @Option(names = {"-d", "--event-data"}, description = "The event's data, a JSON value.")
  @Nullable String data;

  @Option(names = {"-m", "--event-metadata"}, description = "The event's metadata, a JSON object.")
  @Nullable String metadata;

  @Option(names = "--id", description = "The event's id (default: a random UUID).")
  @Nullable UUID id;

  @Option(names = "--stream", description = "Append to this stream.")
  @Nullable String stream;

  @Option(names = "--expected-revision", description = "any (default), none, exists or the stream's last revision.")
  @Nullable String expectedRevision;

  @Option(names = "--fail-if-events-match", description = "DCB condition: a query as JSON, e.g. '{\"items\":[{\"types\":[\"BookAdded\"],\"tags\":[\"category:fiction\"]}]}'.")
  @Nullable String condition;

  @Option(names = "--after", description = "The condition's position: only events after it count (default 0).")
  long after;

  @Option(names = "--batch", description = "With stdin: append this many events at a time (default: all in one atomic append); not with a condition or an expected revision.")
  int batch = Integer.MAX_VALUE;

  @Override
  public Integer call() throws IOException {
    List<EventData> events = type != null ? List.of(eventFromFlags()) : eventsFromStdin();
    if (events.isEmpty()) {
      throw new IllegalArgumentException("no events: give --type, or event lines on stdin");
    }
    ExpectedRevision expected = expectedRevision();
    AppendCondition dcb = condition();
    if (events.size() > batch && (dcb != null || expectedRevision != null)) {
      // Each batch would be checked on its own: the second would conflict with the first's
      // events, or another writer could slip in between. Such a write must be one append.
      throw new IllegalArgumentException(
          "--batch splits the " + events.size() + " events into several appends, but a condition or an"
              + " expected revision guards one append; leave out --batch to append them atomically");
    }
    try (EventStore store = target.open();
        JsonGenerator out = WireJson.generator(System.out)) {
      for (int start = 0; start < events.size(); start += batch) {
        var request =
            new AppendRequest(
                events.subList(start, Math.min(events.size(), start + batch)),
                stream,
                expected,
                dcb);
        AppendResult result = store.append(request);
        AppendJson.writeResult(out, result);
        out.writeRaw('\n');
        out.flush();
      }
    }
    return 0;
  }

  private EventData eventFromFlags() {
    var node = WireJson.mapper().createObjectNode();
    node.put("type", type);
    if (id != null) {
      node.put("id", id.toString());
    }
    var tagArray = node.putArray("tags");
    new LinkedHashSet<>(tags).forEach(tagArray::add);
    if (data != null) {
      node.set("data", json(data, "--event-data"));
    }
    if (metadata != null) {
      node.set("metadata", json(metadata, "--event-metadata"));
    }
    return EventJson.readEventData(node, "event");
  }

  private static List<EventData> eventsFromStdin() throws IOException {
    var events = new ArrayList<EventData>();
    var reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int lineNumber = 0;
    for (String line; (line = reader.readLine()) != null; ) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String where = "line " + lineNumber;
      events.add(EventJson.readEventData(json(line, where), where));
    }
    return events;
  }

  private ExpectedRevision expectedRevision() {
    if (expectedRevision == null) {
      return ExpectedRevision.any();
    }
    if (stream == null) {
      throw new IllegalArgumentException("--expected-revision needs --stream");
    }
    JsonNode value =
        expectedRevision.chars().allMatch(Character::isDigit)
            ? WireJson.mapper().getNodeFactory().numberNode(Long.parseLong(expectedRevision))
            : WireJson.mapper().getNodeFactory().textNode(expectedRevision);
    return AppendJson.readExpectedRevision(value, "--expected-revision");
  }

  private @Nullable AppendCondition condition() {
    if (condition == null) {
      return null;
    }
    return AppendCondition.failIfEventsMatch(QueryJson.read(json(condition, "--fail-if-events-match"), "--fail-if-events-match"))
        .after(after);
  }

  private static JsonNode json(String text, String where) {
    try {
      return WireJson.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedRequestException e) {
      throw new IllegalArgumentException(where + ": not valid JSON: " + e.getMessage());
    }
  }
}
