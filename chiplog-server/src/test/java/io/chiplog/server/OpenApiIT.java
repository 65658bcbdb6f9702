package io.chiplog.server;

import static io.chiplog.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.protocol.ErrorCode;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI description served at {@code GET /v1/openapi.json} describes every route the
 * server routes, with the methods the server allows, and is internally consistent.
 */
class OpenApiIT {
  /** Every path ApiHandler routes, with the methods it allows (its 405 Allow header). */
  static final Map<String, Set<String>> ROUTES =
      Map.ofEntries(
          Map.entry("/v1/append", Set.of("post")),
          Map.entry("/v1/read", Set.of("post")),
          Map.entry("/v1/streams/{stream}", Set.of("get")),
          Map.entry("/v1/subscribe", Set.of("get", "post")),
          Map.entry("/v1/head", Set.of("get")),
          Map.entry("/v1/openapi.json", Set.of("get")),
          Map.entry("/health", Set.of("get")),
          Map.entry("/health/live", Set.of("get")),
          Map.entry("/health/ready", Set.of("get")),
          Map.entry("/metrics", Set.of("get")));

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  @TempDir Path directory;
  TestServer api;
  JsonNode spec;

  @BeforeEach
  void start() {
    api = TestServer.start(directory);
    var response = api.get("/v1/openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    spec = json(response.body());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void itIsOpenApi31() {
    assertThat(spec.get("openapi").textValue()).startsWith("3.1.");
    assertThat(spec.at("/info/version").textValue()).isEqualTo("1");
  }

  @Test
  void itDescribesEveryRouteWithTheMethodsTheServerAllows() {
    Map<String, Set<String>> described = new java.util.HashMap<>();
    spec.get("paths").properties().forEach(path -> {
      var methods = new TreeSet<String>();
      path.getValue().fieldNames().forEachRemaining(name -> {
        if (HTTP_METHODS.contains(name)) {
          methods.add(name);
        }
      });
      described.put(path.getKey(), methods);
    });

    assertThat(described).isEqualTo(ROUTES);
    ROUTES.forEach((path, methods) -> {
      String concrete = path.replace("{stream}", "book-1");
      var response =
          api.send(api.request(concrete).method("PATCH", BodyPublishers.noBody()).build());
      assertThat(response.statusCode()).as("PATCH " + concrete).isEqualTo(405);
      Set<String> allowed =
          Arrays.stream(response.headers().firstValue("Allow").orElseThrow().split(","))
              .map(m -> m.trim().toLowerCase(Locale.ROOT))
              .collect(Collectors.toSet());
      assertThat(allowed).as("Allow of " + path).isEqualTo(methods);
    });
  }

  @Test
  void everyOperationDescribesItsErrorsAndEveryErrorCodeIsListed() {
    spec.get("paths").properties().forEach(path ->
        path.getValue().properties().forEach(operation -> {
          JsonNode responses = operation.getValue().get("responses");
          assertThat(responses).as(operation.getKey() + " " + path.getKey()).isNotNull();
          assertThat(responses.has("405")).as("405 of " + operation.getKey() + " " + path.getKey()).isTrue();
        }));
    var codes = new TreeSet<String>();
    spec.at("/components/schemas/Error/properties/error/enum").forEach(code -> codes.add(code.textValue()));
    assertThat(codes)
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    var reasons = new ArrayList<String>();
    spec.at("/components/schemas/ConflictError/allOf/1/properties/reason/enum").forEach(r -> reasons.add(r.textValue()));
    assertThat(reasons).containsExactly("revision_mismatch", "condition_matched", "event_ids_already_stored");
  }

  @Test
  void everyReferenceResolves() {
    List<String> references = new ArrayList<>();
    collectReferences(spec, references);

    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).startsWith("#/");
      assertThat(spec.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
    }
  }

  private static void collectReferences(JsonNode node, List<String> into) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().equals("$ref")) {
          into.add(field.getValue().textValue());
        } else {
          collectReferences(field.getValue(), into);
        }
      });
    } else if (node.isArray()) {
      node.forEach(element -> collectReferences(element, into));
    }
  }
}
