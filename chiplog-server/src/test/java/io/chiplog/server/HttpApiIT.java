package io.chiplog.server;

import static io.chiplog.server.TestServer.json;
import static io.chiplog.server.TestServer.ndjson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.StoreLimits;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP API v1 over real HTTP on loopback: appends, reads, head, health, metrics and every error
 * the server answers, with the JDK's HttpClient against a server over a {@code FileEventStore}.
 */
class HttpApiIT {
  static final long EVENT_MAX_BYTES = 64 * 1024;
  static final long APPEND_MAX_BYTES = 128 * 1024;
  static final long BODY_MAX_BYTES = 512 * 1024;

  @TempDir Path directory;
  TestServer api;

  @BeforeEach
  void start() {
    var limits = new StoreLimits(EVENT_MAX_BYTES, APPEND_MAX_BYTES);
    api = TestServer.start(directory, server -> server.bodyMaxBytes(BODY_MAX_BYTES), store -> store.limits(limits));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  // ---- POST /v1/append

  @Test
  void appendAnswersThePositionsAndStoresTheEvents() {
    var response =
        api.postJson(
            "/v1/append",
            """
            {"events":[
              {"type":"BookAdded","tags":["category:fiction","book:1"],"data":{"title":"Dune"},
               "metadata":{"actor":"ada"}},
              {"type":"BookAdded","tags":["book:2"]}]}
            """);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(response.body())).isEqualTo(json("{\"firstPosition\":1,\"lastPosition\":2}"));
    List<JsonNode> events = ndjson(api.postJson("/v1/read", "{}").body());
    assertThat(events).hasSize(2);
    JsonNode first = events.getFirst();
    assertThat(first.get("position").longValue()).isEqualTo(1);
    assertThat(first.get("type").textValue()).isEqualTo("BookAdded");
    assertThat(first.get("tags")).isEqualTo(json("[\"book:1\",\"category:fiction\"]"));
    assertThat(first.get("data")).isEqualTo(json("{\"title\":\"Dune\"}"));
    assertThat(first.get("metadata")).isEqualTo(json("{\"actor\":\"ada\"}"));
    assertThat(first.has("stream")).isFalse();
    assertThat(first.get("recordedAt").textValue()).endsWith("Z");
    assertThat(UUID.fromString(first.get("id").textValue())).isNotNull();
  }

  @Test
  void appendToAStreamAnswersTheStreamRevision() {
    var created =
        api.postJson(
            "/v1/append",
            "{\"events\":[{\"type\":\"BookAdded\"}],\"stream\":\"book-1\",\"expectedRevision\":\"none\"}");
    var next =
        api.postJson(
            "/v1/append",
            "{\"events\":[{\"type\":\"BookLent\"},{\"type\":\"BookReturned\"}],\"stream\":\"book-1\",\"expectedRevision\":0}");
    var exists =
        api.postJson(
            "/v1/append",
            "{\"events\":[{\"type\":\"BookLent\"}],\"stream\":\"book-1\",\"expectedRevision\":\"exists\"}");

    assertThat(json(created.body()))
        .isEqualTo(json("{\"firstPosition\":1,\"lastPosition\":1,\"streamRevision\":0}"));
    assertThat(json(next.body()))
        .isEqualTo(json("{\"firstPosition\":2,\"lastPosition\":3,\"streamRevision\":2}"));
    assertThat(json(exists.body()))
        .isEqualTo(json("{\"firstPosition\":4,\"lastPosition\":4,\"streamRevision\":3}"));
    List<JsonNode> stream = ndjson(api.get("/v1/streams/book-1").body());
    assertThat(stream).extracting(e -> e.get("revision").longValue()).containsExactly(0L, 1L, 2L, 3L);
    assertThat(stream).extracting(e -> e.get("stream").textValue()).containsOnly("book-1");
  }

  @Test
  void appendWithAConditionThatMatchesNothingAfterItsPositionSucceeds() {
    api.append("{\"type\":\"BookAdded\",\"tags\":[\"category:fiction\"]}");

    var response =
        api.postJson(
            "/v1/append",
            """
            {"events":[{"type":"BookAdded","tags":["category:fiction"]}],
             "condition":{"failIfEventsMatch":{"items":[{"types":["BookAdded"],"tags":["category:fiction"]}]},
                          "after":1}}
            """);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).get("lastPosition").longValue()).isEqualTo(2);
  }

  @Test
  void aRevisionMismatchIsAConflictNamingTheStreamAndBothRevisions() {
    api.postJson("/v1/append", "{\"events\":[{\"type\":\"BookAdded\"}],\"stream\":\"book-1\"}");

    var response =
        api.postJson(
            "/v1/append",
            "{\"events\":[{\"type\":\"BookAdded\"}],\"stream\":\"book-1\",\"expectedRevision\":\"none\"}");

    assertThat(response.statusCode()).isEqualTo(409);
    JsonNode error = json(response.body());
    assertThat(error.get("error").textValue()).isEqualTo("conflict");
    assertThat(error.get("reason").textValue()).isEqualTo("revision_mismatch");
    assertThat(error.get("stream").textValue()).isEqualTo("book-1");
    assertThat(error.get("expectedRevision").textValue()).isEqualTo("none");
    assertThat(error.get("actualRevision").longValue()).isEqualTo(0);
    assertThat(error.get("message").textValue()).isNotBlank();
    assertThat(api.head()).isEqualTo(1);
  }

  @Test
  void aMatchingConditionIsAConflictNamingTheQueryAndTheFirstMatch() {
    api.append("{\"type\":\"BookAdded\",\"tags\":[\"category:poetry\"]}");
    api.append("{\"type\":\"BookAdded\",\"tags\":[\"category:fiction\"]}");

    var response =
        api.postJson(
            "/v1/append",
            """
            {"events":[{"type":"BookAdded","tags":["category:fiction"]}],
             "condition":{"failIfEventsMatch":{"items":[{"types":["BookAdded"],"tags":["category:fiction"]}]},
                          "after":1}}
            """);

    assertThat(response.statusCode()).isEqualTo(409);
    JsonNode error = json(response.body());
    assertThat(error.get("reason").textValue()).isEqualTo("condition_matched");
    assertThat(error.get("failIfEventsMatch"))
        .isEqualTo(json("{\"items\":[{\"types\":[\"BookAdded\"],\"tags\":[\"category:fiction\"]}]}"));
    assertThat(error.get("after").longValue()).isEqualTo(1);
    assertThat(error.get("firstMatch").longValue()).isEqualTo(2);
    assertThat(api.head()).isEqualTo(2);
  }

  @Test
  void aBatchWhoseIdsAreAllStoredIsAnIdempotentRetry() {
    String id = UUID.randomUUID().toString();
    String body = "{\"events\":[{\"id\":\"" + id + "\",\"type\":\"BookAdded\"}]}";
    var first = api.postJson("/v1/append", body);

    var retry = api.postJson("/v1/append", body);

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry.body())).isEqualTo(json(first.body()));
    assertThat(api.head()).isEqualTo(1);
  }

  @Test
  void aBatchThatOnlyPartlyOverlapsStoredIdsIsAConflictListingThem() {
    String stored = UUID.randomUUID().toString();
    api.append("{\"id\":\"" + stored + "\",\"type\":\"BookAdded\"}");

    var response =
        api.postJson(
            "/v1/append",
            "{\"events\":[{\"id\":\"" + stored + "\",\"type\":\"BookAdded\"},{\"type\":\"BookLent\"}]}");

    assertThat(response.statusCode()).isEqualTo(409);
    JsonNode error = json(response.body());
    assertThat(error.get("reason").textValue()).isEqualTo("event_ids_already_stored");
    assertThat(error.get("ids")).isEqualTo(json("[\"" + stored + "\"]"));
    assertThat(api.head()).isEqualTo(1);
  }

  static Stream<Arguments> badAppends() {
    return Stream.of(
        Arguments.of("not JSON", "{\"events\":[", ""),
        Arguments.of("two documents", "{\"events\":[{\"type\":\"A\"}]} {}", ""),
        Arguments.of("an empty body", "", ""),
        Arguments.of("an array", "[]", ""),
        Arguments.of("an unknown field", "{\"events\":[{\"type\":\"A\"}],\"strem\":\"s\"}", "strem"),
        Arguments.of("an unknown event field", "{\"events\":[{\"type\":\"A\",\"payload\":1}]}", "events[0].payload"),
        Arguments.of("no events", "{\"events\":[]}", "events"),
        Arguments.of("bad base64", "{\"events\":[{\"type\":\"A\",\"dataBase64\":\"!!!\"}]}", "events[0].dataBase64"),
        Arguments.of("data and dataBase64", "{\"events\":[{\"type\":\"A\",\"data\":1,\"dataBase64\":\"AA==\"}]}", "events[0].dataBase64"),
        Arguments.of("a bad UUID", "{\"events\":[{\"id\":\"42\",\"type\":\"A\"}]}", "events[0].id"),
        Arguments.of("a bad type name", "{\"events\":[{\"type\":\"Book Added\"}]}", "events[0].type"),
        Arguments.of("a missing type", "{\"events\":[{\"data\":{}}]}", "events[0].type"),
        Arguments.of("an empty tag", "{\"events\":[{\"type\":\"A\",\"tags\":[\"\"]}]}", "events[0].tags[0]"),
        Arguments.of("metadata not an object", "{\"events\":[{\"type\":\"A\",\"metadata\":[1]}]}", "events[0].metadata"),
        Arguments.of("a duplicate id", "{\"events\":[{\"id\":\"3f0c6a2e-8a3b-4c1d-9e2f-0a1b2c3d4e5f\",\"type\":\"A\"},{\"id\":\"3f0c6a2e-8a3b-4c1d-9e2f-0a1b2c3d4e5f\",\"type\":\"A\"}]}", "events[1].id"),
        Arguments.of("a revision without a stream", "{\"events\":[{\"type\":\"A\"}],\"expectedRevision\":0}", "expectedRevision"),
        Arguments.of("a negative revision", "{\"events\":[{\"type\":\"A\"}],\"stream\":\"s\",\"expectedRevision\":-1}", "expectedRevision"),
        Arguments.of("an unknown revision word", "{\"events\":[{\"type\":\"A\"}],\"stream\":\"s\",\"expectedRevision\":\"latest\"}", "expectedRevision"),
        Arguments.of("a negative after", "{\"events\":[{\"type\":\"A\"}],\"condition\":{\"failIfEventsMatch\":{},\"after\":-1}}", "condition.after"),
        Arguments.of("a condition without its query", "{\"events\":[{\"type\":\"A\"}],\"condition\":{\"after\":1}}", "condition.failIfEventsMatch"),
        Arguments.of("a bad query type", "{\"events\":[{\"type\":\"A\"}],\"condition\":{\"failIfEventsMatch\":{\"items\":[{\"types\":[\"a b\"]}]}}}", "condition.failIfEventsMatch.items[0].types[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAppends")
  void aBadAppendIsABadRequestNamingTheFieldAndWritesNothing(String what, String body, String field) {
    api.append("{\"type\":\"Before\"}");

    var response = api.postJson("/v1/append", body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = json(response.body());
    assertThat(error.get("error").textValue()).isEqualTo("bad_request");
    assertThat(error.get("field").textValue()).isEqualTo(field);
    assertThat(error.get("message").textValue()).isNotBlank();
    assertThat(api.head()).isEqualTo(1);
  }

  @Test
  void anUnknownQueryParameterIsABadRequest() {
    var response = api.postJson("/v1/append?dryRun=true", "{\"events\":[{\"type\":\"A\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).get("field").textValue()).isEqualTo("dryRun");
    assertThat(api.head()).isZero();
  }

  @Test
  void aBodyNotDeclaredAsJsonIsAnUnsupportedMediaType() {
    var plain = api.post("/v1/append", "text/plain", BodyPublishers.ofString("{\"events\":[{\"type\":\"A\"}]}"));
    var undeclared = api.post("/v1/append", null, BodyPublishers.ofString("{\"events\":[{\"type\":\"A\"}]}"));
    var jsonWithCharset =
        api.post("/v1/append", "Application/JSON; charset=utf-8", BodyPublishers.ofString("{\"events\":[{\"type\":\"A\"}]}"));

    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(json(plain.body()).get("error").textValue()).isEqualTo("unsupported_media_type");
    assertThat(undeclared.statusCode()).isEqualTo(415);
    assertThat(jsonWithCharset.statusCode()).isEqualTo(200);
    assertThat(api.head()).isEqualTo(1);
  }

  @Test
  void aConnectionStaysUsableAfterAnAnswerThatDidNotReadTheBody() {
    String body = "{\"events\":[{\"type\":\"A\"}]}";
    try (var connection = RawHttp.connect(api.server.uri(), 0)) {
      for (int i = 0; i < 20; i++) {
        // Head and body in two writes, as the JDK client sends them: the server may decide
        // before the body has arrived, and must still leave the connection fit for the next.
        var refused = connection.write("POST /v1/append HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n").write(body).read();
        var accepted = connection.write("POST /v1/append HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body).read();

        assertThat(refused.status()).isEqualTo(415);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
      }
    }
    assertThat(api.head()).isEqualTo(20);
  }

  @Test
  void anEventOverTheLimitIsTooLargeNamingItsSizeAndTheLimit() {
    String data = Base64.getEncoder().encodeToString(new byte[(int) EVENT_MAX_BYTES]);

    var response =
        api.postJson("/v1/append", "{\"events\":[{\"type\":\"A\"},{\"type\":\"A\",\"dataBase64\":\"" + data + "\"}]}");

    assertThat(response.statusCode()).isEqualTo(413);
    JsonNode error = json(response.body());
    assertThat(error.get("error").textValue()).isEqualTo("too_large");
    assertThat(error.get("field").textValue()).isEqualTo("events[1]");
    assertThat(error.get("sizeBytes").longValue()).isGreaterThan(EVENT_MAX_BYTES);
    assertThat(error.get("limitBytes").longValue()).isEqualTo(EVENT_MAX_BYTES);
    assertThat(api.head()).isZero();
  }

  @Test
  void anAppendOverTheLimitIsTooLargeNamingTheEvents() {
    String data = Base64.getEncoder().encodeToString(new byte[(int) EVENT_MAX_BYTES / 2]);
    String event = "{\"type\":\"A\",\"dataBase64\":\"" + data + "\"}";

    var response = api.postJson("/v1/append", "{\"events\":[" + String.join(",", java.util.Collections.nCopies(5, event)) + "]}");

    assertThat(response.statusCode()).isEqualTo(413);
    JsonNode error = json(response.body());
    assertThat(error.get("field").textValue()).isEqualTo("events");
    assertThat(error.get("limitBytes").longValue()).isEqualTo(APPEND_MAX_BYTES);
    assertThat(api.head()).isZero();
  }

  @Test
  void aBodyOverTheBodyLimitIsTooLargeWhetherDeclaredOrChunked() {
    byte[] body = ("{\"events\":[{\"type\":\"A\",\"data\":\"" + "x".repeat((int) BODY_MAX_BYTES) + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);

    var declared = api.post("/v1/append", "application/json", BodyPublishers.ofByteArray(body));
    var chunked =
        api.post(
            "/v1/append",
            "application/json",
            BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));

    assertThat(declared.statusCode()).isEqualTo(413);
    JsonNode declaredError = json(declared.body());
    assertThat(declaredError.get("error").textValue()).isEqualTo("too_large");
    assertThat(declaredError.get("field").textValue()).isEqualTo("body");
    assertThat(declaredError.get("sizeBytes").longValue()).isEqualTo(body.length);
    assertThat(declaredError.get("limitBytes").longValue()).isEqualTo(BODY_MAX_BYTES);
    assertThat(chunked.statusCode()).isEqualTo(413);
    JsonNode chunkedError = json(chunked.body());
    assertThat(chunkedError.get("field").textValue()).isEqualTo("body");
    assertThat(chunkedError.get("sizeBytes").longValue()).isGreaterThan(BODY_MAX_BYTES);
    assertThat(chunkedError.get("limitBytes").longValue()).isEqualTo(BODY_MAX_BYTES);
    assertThat(api.head()).isZero();
  }

  // ---- POST /v1/read and GET /v1/streams/{stream}

  @Test
  void readAnswersNdjsonForwardsBackwardsFromAndWithALimit() {
    api.append("{\"type\":\"A\"},{\"type\":\"B\",\"tags\":[\"k:1\"]},{\"type\":\"A\",\"tags\":[\"k:1\"]},{\"type\":\"C\"}");

    var all = api.postJson("/v1/read", "{}");
    var forwards = api.postJson("/v1/read", "{\"from\":2,\"limit\":2}");
    var backwards = api.postJson("/v1/read", "{\"backwards\":true,\"limit\":3}");
    var backwardsFrom = api.postJson("/v1/read", "{\"backwards\":true,\"from\":2}");
    var query = api.postJson("/v1/read", "{\"query\":{\"items\":[{\"types\":[\"A\"]},{\"tags\":[\"k:1\"]}]}}");
    var nothing = api.postJson("/v1/read", "{\"from\":99}");

    assertThat(all.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(positions(all)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(positions(forwards)).containsExactly(2L, 3L);
    assertThat(positions(backwards)).containsExactly(4L, 3L, 2L);
    assertThat(positions(backwardsFrom)).containsExactly(2L, 1L);
    assertThat(positions(query)).containsExactly(1L, 2L, 3L);
    assertThat(nothing.statusCode()).isEqualTo(200);
    assertThat(nothing.body()).isEmpty();
  }

  @Test
  void readOfAStreamAnswersItsEventsByRevision() {
    api.postJson("/v1/append", "{\"events\":[{\"type\":\"A\"},{\"type\":\"B\"},{\"type\":\"C\"}],\"stream\":\"book-1\"}");
    api.append("{\"type\":\"Other\"}");

    var all = api.get("/v1/streams/book-1");
    var fromLimit = api.get("/v1/streams/book-1?from=1&limit=1");
    var backwards = api.get("/v1/streams/book-1?backwards=true&limit=2");

    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(revisions(all)).containsExactly(0L, 1L, 2L);
    assertThat(revisions(fromLimit)).containsExactly(1L);
    assertThat(revisions(backwards)).containsExactly(2L, 1L);
  }

  @Test
  void readOfAnUnknownStreamIsNotFoundNamingIt() {
    var response = api.get("/v1/streams/nobody");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response.body()))
        .isEqualTo(json("{\"error\":\"not_found\",\"message\":" + json(response.body()).get("message") + ",\"stream\":\"nobody\"}"));
  }

  static Stream<Arguments> badReadParameters() {
    return Stream.of(
        Arguments.of("/v1/streams/s?from=-1", "from"),
        Arguments.of("/v1/streams/s?from=one", "from"),
        Arguments.of("/v1/streams/s?limit=-5", "limit"),
        Arguments.of("/v1/streams/s?limit=ten", "limit"),
        Arguments.of("/v1/streams/s?backwards=maybe", "backwards"),
        Arguments.of("/v1/streams/s?form=3", "form"),
        Arguments.of("/v1/streams/s?encoding=xml", "encoding"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badReadParameters")
  void aBadStreamReadParameterIsABadRequestNamingIt(String pathAndQuery, String field) {
    api.postJson("/v1/append", "{\"events\":[{\"type\":\"A\"}],\"stream\":\"s\"}");

    var response = api.get(pathAndQuery);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).get("error").textValue()).isEqualTo("bad_request");
    assertThat(json(response.body()).get("field").textValue()).isEqualTo(field);
  }

  static Stream<Arguments> badReadBodies() {
    return Stream.of(
        Arguments.of("{\"from\":-1}", "from"),
        Arguments.of("{\"limit\":\"ten\"}", "limit"),
        Arguments.of("{\"backwards\":\"yes\"}", "backwards"),
        Arguments.of("{\"form\":3}", "form"),
        Arguments.of("{\"query\":{\"items\":[{\"typo\":[]}]}}", "query.items[0].typo"),
        Arguments.of("{\"query\":{\"items\":[{\"tags\":[\"\"]}]}}", "query.items[0].tags[0]"),
        Arguments.of("{", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badReadBodies")
  void aBadReadBodyIsABadRequestNamingTheField(String body, String field) {
    var response = api.postJson("/v1/read", body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).get("field").textValue()).isEqualTo(field);
  }

  @Test
  void aReadBodyNotDeclaredAsJsonIsAnUnsupportedMediaTypeAndAnUnknownParameterABadRequest() {
    var undeclared = api.post("/v1/read", null, BodyPublishers.ofString("{}"));
    var unknown = api.postJson("/v1/read?limit=1", "{}");

    assertThat(undeclared.statusCode()).isEqualTo(415);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown.body()).get("field").textValue()).isEqualTo("limit");
  }

  @Test
  void dataIsRenderedAsJsonWhenItIsJsonAndAsBase64OtherwiseOrWhenAsked() {
    byte[] spacedJson = "{ \"title\" : \"Dune\" }".getBytes(StandardCharsets.UTF_8);
    byte[] binary = {0, (byte) 0xff, 0x7b, 0x0a};
    byte[] metadata = "{\"actor\": \"ada\"}".getBytes(StandardCharsets.UTF_8);
    var encoder = Base64.getEncoder();
    api.append(
        "{\"type\":\"A\",\"dataBase64\":\"" + encoder.encodeToString(spacedJson) + "\",\"metadataBase64\":\""
            + encoder.encodeToString(metadata) + "\"},"
            + "{\"type\":\"B\",\"dataBase64\":\"" + encoder.encodeToString(binary) + "\"},"
            + "{\"type\":\"C\"}");

    List<JsonNode> asJson = ndjson(api.postJson("/v1/read", "{}").body());
    List<JsonNode> asBase64 = ndjson(api.postJson("/v1/read?encoding=base64", "{}").body());

    assertThat(asJson.get(0).get("data")).isEqualTo(json("{\"title\":\"Dune\"}"));
    assertThat(asJson.get(0).get("metadata")).isEqualTo(json("{\"actor\":\"ada\"}"));
    assertThat(asJson.get(1).has("data")).isFalse();
    assertThat(Base64.getDecoder().decode(asJson.get(1).get("dataBase64").textValue())).isEqualTo(binary);
    assertThat(asJson.get(2).has("data")).isFalse();
    assertThat(asJson.get(2).has("dataBase64")).isFalse();
    assertThat(asJson.get(2).get("metadata")).isEqualTo(json("{}"));
    assertThat(asBase64.get(0).has("data")).isFalse();
    assertThat(Base64.getDecoder().decode(asBase64.get(0).get("dataBase64").textValue())).isEqualTo(spacedJson);
    assertThat(Base64.getDecoder().decode(asBase64.get(0).get("metadataBase64").textValue())).isEqualTo(metadata);
    assertThat(Base64.getDecoder().decode(asBase64.get(1).get("dataBase64").textValue())).isEqualTo(binary);
  }

  // ---- head, health, metrics, routing

  @Test
  void headIsZeroWhenEmptyThenTheLastPosition() {
    var empty = api.get("/v1/head");
    api.append("{\"type\":\"A\"},{\"type\":\"A\"}");

    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(json(empty.body())).isEqualTo(json("{\"position\":0}"));
    assertThat(json(api.get("/v1/head").body())).isEqualTo(json("{\"position\":2}"));
    assertThat(api.get("/v1/head?x=1").statusCode()).isEqualTo(400);
  }

  @Test
  void healthReportsLiveAndReady() {
    var health = api.get("/health");
    var live = api.get("/health/live");
    var ready = api.get("/health/ready");

    String up = "{\"status\":\"up\",\"live\":true,\"ready\":true,\"subscribers\":0}";
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health.body())).isEqualTo(json(up));
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(json(live.body())).isEqualTo(json(up));
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  @Test
  void metricsArePrometheusTextWithAppendsConflictsLatencySubscribersAndStoreSize() {
    api.append("{\"type\":\"A\"}");
    api.postJson("/v1/append", "{\"events\":[{\"type\":\"A\"}],\"stream\":\"s\",\"expectedRevision\":3}");
    // Gauges hold their objects weakly: one that is only held by the gauge turns NaN after a GC.
    System.gc();

    var response = api.get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(response.body())
        .contains("chiplog_appends_total 1.0")
        .contains("chiplog_append_conflicts_total{reason=\"revision_mismatch\"} 1.0")
        .contains("chiplog_append_conflicts_total{reason=\"condition_matched\"} 0.0")
        .contains("chiplog_append_conflicts_total{reason=\"event_ids_already_stored\"} 0.0")
        .contains("chiplog_append_latency_seconds_bucket{le=")
        .contains("chiplog_subscribers_active 0.0")
        .contains("chiplog_events_appended_total 1.0")
        .contains("chiplog_head_position 1.0")
        .containsPattern("chiplog_store_size_bytes [1-9]");
  }

  @Test
  void anUnknownPathIsNotFound() {
    var response = api.get("/v2/append");
    var emptyStream = api.get("/v1/streams/");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response.body()).get("error").textValue()).isEqualTo("not_found");
    assertThat(json(response.body()).has("stream")).isFalse();
    assertThat(emptyStream.statusCode()).isEqualTo(404);
  }

  static Stream<Arguments> wrongMethods() {
    return Stream.of(
        Arguments.of("GET", "/v1/append", "POST"),
        Arguments.of("PUT", "/v1/read", "POST"),
        Arguments.of("DELETE", "/v1/subscribe", "GET, POST"),
        Arguments.of("POST", "/v1/head", "GET"),
        Arguments.of("DELETE", "/v1/streams/book-1", "GET"),
        Arguments.of("POST", "/v1/openapi.json", "GET"),
        Arguments.of("POST", "/health", "GET"),
        Arguments.of("POST", "/health/live", "GET"),
        Arguments.of("POST", "/health/ready", "GET"),
        Arguments.of("POST", "/metrics", "GET"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongMethods")
  void aWrongMethodIsNotAllowedAndNamesTheAllowedOnes(String method, String path, String allowed) {
    var response =
        api.send(
            api.request(path)
                .header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString("{\"events\":[{\"type\":\"A\"}]}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue(allowed);
    assertThat(json(response.body()).get("error").textValue()).isEqualTo("method_not_allowed");
    assertThat(api.head()).isZero();
  }

  private static List<Long> positions(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return ndjson(response.body()).stream().map(e -> e.get("position").longValue()).toList();
  }

  private static List<Long> revisions(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return ndjson(response.body()).stream().map(e -> e.get("revision").longValue()).toList();
  }
}
