package io.chiplog.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.RecordedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What one side writes, the other reads back exactly; what breaks the rules names its field. */
class WireRoundTripTest {

  interface Writing {
    void to(JsonGenerator out) throws IOException;
  }

  private static JsonNode written(Writing writing) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (JsonGenerator out = WireJson.generator(bytes)) {
      writing.to(out);
    }
    return WireJson.parse(bytes.toByteArray());
  }

  private static JsonNode json(String text) {
    return WireJson.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAppendRequestSurvivesTheWireByteForByte() throws IOException {
    var binary = new EventData(UUID.randomUUID(), "Blob", java.util.Set.of("a:1"), new byte[] {0, -1, 10, 13}, "{ \"x\" : 1 }".getBytes(StandardCharsets.UTF_8));
    var request = AppendRequest.of(binary, EventData.ofJson("BookAdded", "{\"n\": 1.50}"))
        .toStream("book-1", ExpectedRevision.exactly(4))
        .withCondition(AppendCondition.failIfEventsMatch(Query.of(QueryItem.types("BookAdded").withTags("category:x"))).after(7));

    AppendRequest read = AppendJson.readRequest(written(out -> AppendJson.writeRequest(out, request)));

    assertThat(read).isEqualTo(request);
  }

  @Test
  void jsonDataIsKeptAsJsonWithItsDecimals() {
    EventData event = AppendJson.readRequest(json("{\"events\":[{\"type\":\"T\",\"data\":{\"price\": 1.50}}]}")).events().getFirst();
    assertThat(event.dataAsString()).isEqualTo("{\"price\":1.50}");
    assertThat(event.metadataAsString()).isEqualTo("{}");
  }

  @Test
  void recordedEventsReadBackIdenticallyInBase64AndReadablyInJson() throws IOException {
    var event = new RecordedEvent(17, UUID.randomUUID(), "BookAdded", java.util.Set.of("category:fiction"), "book-42", 3,
        Instant.parse("2026-11-27T10:15:30.123456Z"), new byte[] {1, 2, 3}, "{\"actor\":\"ann\"}".getBytes(StandardCharsets.UTF_8));

    JsonNode base64 = written(out -> EventJson.writeRecordedEvent(out, event, DataEncoding.BASE64));
    JsonNode readable = written(out -> EventJson.writeRecordedEvent(out, event, DataEncoding.JSON));

    assertThat(EventJson.readRecordedEvent(base64)).isEqualTo(event);
    assertThat(readable.get("dataBase64").asText()).isEqualTo("AQID");
    assertThat(readable.get("metadata").get("actor").asText()).isEqualTo("ann");
    assertThat(readable.get("recordedAt").asText()).isEqualTo("2026-11-27T10:15:30.123456Z");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]                                                         | ''",
      "{\"events\":[]}                                             | events",
      "{\"evnts\":[{\"type\":\"T\"}]}                               | evnts",
      "{\"events\":[{\"type\":\"T\",\"tags\":\"a\"}]}                | events[0].tags",
      "{\"events\":[{\"type\":\"T\",\"tags\":[1]}]}                  | events[0].tags[0]",
      "{\"events\":[{\"type\":\"T\"},{\"type\":\"no spaces\"}]}       | events[1].type",
      "{\"events\":[{\"type\":\"T\",\"id\":\"nope\"}]}               | events[0].id",
      "{\"events\":[{\"type\":\"T\",\"dataBase64\":\"%%%\"}]}         | events[0].dataBase64",
      "{\"events\":[{\"type\":\"T\",\"data\":1,\"dataBase64\":\"AA==\"}]} | events[0].dataBase64",
      "{\"events\":[{\"type\":\"T\",\"metadata\":[1]}]}              | events[0].metadata",
      "{\"events\":[{\"type\":\"T\"}],\"expectedRevision\":-1,\"stream\":\"s\"} | expectedRevision",
      "{\"events\":[{\"type\":\"T\"}],\"expectedRevision\":\"last\",\"stream\":\"s\"} | expectedRevision",
      "{\"events\":[{\"type\":\"T\"}],\"expectedRevision\":3}         | expectedRevision",
      "{\"events\":[{\"type\":\"T\"}],\"condition\":{\"after\":1}}    | condition.failIfEventsMatch",
      "{\"events\":[{\"type\":\"T\"}],\"condition\":{\"failIfEventsMatch\":{\"items\":[{\"typ\":[]}]}}} | condition.failIfEventsMatch.items[0].typ",
  })
  void malformedAppendsNameTheField(String body, String field) {
    assertThatThrownBy(() -> AppendJson.readRequest(json(body)))
        .isInstanceOfSatisfying(MalformedRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void notJsonAndTrailingGarbageAreMalformed() {
    assertThatThrownBy(() -> json("{\"events\":")).isInstanceOf(MalformedRequestException.class);
    assertThatThrownBy(() -> json("{} {}")).isInstanceOf(MalformedRequestException.class);
    assertThatThrownBy(() -> json("{\"a\":1,\"a\":2}")).isInstanceOf(MalformedRequestException.class);
  }

  @Test
  void readRequestsHaveDefaultsAndRejectNegativePositions() {
    var all = ReadJson.readReadRequest(json("{}"));
    var back = ReadJson.readReadRequest(json("{\"backwards\":true,\"limit\":2}"));

    assertThat(all.query()).isEqualTo(Query.all());
    assertThat(all.options().from()).isZero();
    assertThat(back.options().isForwards()).isFalse();
    assertThat(back.options().limit()).isEqualTo(2);
    assertThatThrownBy(() -> ReadJson.readReadRequest(json("{\"from\":-1}")))
        .isInstanceOfSatisfying(MalformedRequestException.class, e -> assertThat(e.field()).isEqualTo("from"));
    assertThatThrownBy(() -> ReadJson.nonNegativeParameter("from", "x1", 0)).isInstanceOf(MalformedRequestException.class);
  }

  @Test
  void anAppendResultRoundTrips() throws IOException {
    var result = new AppendResult(3, 5, 2);
    assertThat(AppendJson.readResult(written(out -> AppendJson.writeResult(out, result)))).isEqualTo(result);
  }
}
