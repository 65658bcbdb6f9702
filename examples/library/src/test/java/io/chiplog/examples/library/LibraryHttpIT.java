package io.chiplog.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chiplog.model.ModelOptions;
import io.chiplog.store.FileEventStore;
import io.chiplog.views.EmbeddedViewStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library over HTTP on a real port and a real store: every endpoint and status, and a race. */
class LibraryHttpIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;

  private final HttpClient http = HttpClient.newHttpClient();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private FileEventStore store;
  private EmbeddedViewStore viewStore;
  private LibraryApp app;

  private void start(boolean queueByKey) {
    store = FileEventStore.open(directory.resolve("events"));
    viewStore = EmbeddedViewStore.open(directory.resolve("views.db"));
    app = LibraryApp.start(store, viewStore, 0,
        ModelOptions.builder().queueByKey(queueByKey).attemptsMax(100).meters(meters).build());
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (viewStore != null) {
      viewStore.close();
    }
    if (store != null) {
      store.close();
    }
    http.close();
  }

  @Test
  void categoriesAreAddedOnce() throws Exception {
    start(false);

    var added = post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}");
    var again = post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Novels\"}");

    assertThat(added.status).isEqualTo(201);
    assertThat(added.body).isEqualTo(JSON.readTree("{\"categoryId\":\"fiction\",\"name\":\"Fiction\",\"position\":1}"));
    assertThat(again.status).isEqualTo(409);
    assertThat(again.body.get("error").asText()).isEqualTo("conflict");
    assertThat(again.body.get("message").asText()).isEqualTo("category fiction exists");
  }

  @Test
  void booksAreNumberedPerCategoryAndListed() throws Exception {
    start(false);
    post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}");
    post("/library/categories", "{\"categoryId\":\"poetry\",\"name\":\"Poetry\"}");

    var dune = post("/library/categories/fiction/books", "{\"title\":\"Dune\"}");
    var odes = post("/library/categories/poetry/books", "{\"title\":\"Odes\"}");
    var emma = post("/library/categories/fiction/books", "{\"title\":\"Emma\"}");
    long written = emma.body.get("position").asLong();
    var list = get("/library/categories/fiction/books?minPosition=" + written);

    assertThat(dune.status).isEqualTo(201);
    assertThat(dune.body.get("number").asInt()).isEqualTo(1);
    assertThat(odes.body.get("number").asInt()).isEqualTo(1);
    assertThat(emma.body.get("number").asInt()).isEqualTo(2);
    assertThat(list.status).isEqualTo(200);
    assertThat(list.body.get("categoryId").asText()).isEqualTo("fiction");
    assertThat(list.body.get("name").asText()).isEqualTo("Fiction");
    assertThat(list.body.get("position").asLong()).isGreaterThanOrEqualTo(written);
    assertThat(list.body.get("books")).hasSize(2);
    assertThat(list.body.get("books").get(0).get("bookId").asText()).isEqualTo(dune.body.get("bookId").asText());
    assertThat(list.body.get("books").get(1).get("title").asText()).isEqualTo("Emma");
    assertThat(list.body.get("books").get(1).get("number").asInt()).isEqualTo(2);
  }

  /** Each write answers its position; a read with that minPosition sees it, every time. */
  @Test
  void aReadWithTheWritesPositionSeesTheWrite() throws Exception {
    start(false);
    long position = post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}").body.get("position").asLong();
    assertThat(get("/library/categories/fiction/books?minPosition=" + position).status).isEqualTo(200);
    for (int i = 1; i <= 30; i++) {
      position = post("/library/categories/fiction/books", "{\"title\":\"t" + i + "\"}").body.get("position").asLong();
      var list = get("/library/categories/fiction/books?minPosition=" + position);
      assertThat(list.status).isEqualTo(200);
      assertThat(list.body.get("books")).hasSize(i);
    }
  }

  @Test
  void theViewsStatusShowsPositionAndLag() throws Exception {
    start(false);
    long position = post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}").body.get("position").asLong();
    get("/library/categories/fiction/books?minPosition=" + position);
    JsonNode view = get("/library/views").body.get("views").get(0);
    assertThat(view.get("view").asText()).isEqualTo("shelves");
    assertThat(view.get("state").asText()).isEqualTo("RUNNING");
    assertThat(view.get("position").asLong()).isGreaterThanOrEqualTo(position);
    assertThat(view.get("lag").asLong()).isZero();
    assertThat(view.has("failure")).isFalse();
  }

  @Test
  void aReadForAPositionNotYetWrittenAnswers503WithRetryAfter() throws Exception {
    start(false);
    post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}");
    var request = HttpRequest.newBuilder(app.uri().resolve("/library/categories/fiction/books?minPosition=1000")).GET().build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).contains("1");
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.get("error").asText()).isEqualTo("not_caught_up");
    assertThat(body.get("message").asText()).contains("not yet 1000");
    assertThat(get("/library/categories/fiction/books?minPosition=-1").status).isEqualTo(400);
    assertThat(get("/library/categories/fiction/books?minPosition=x").status).isEqualTo(400);
  }

  @Test
  void anUnknownCategoryIsNotFound() throws Exception {
    start(false);

    var add = post("/library/categories/nope/books", "{\"title\":\"Dune\"}");
    var list = get("/library/categories/nope/books");

    assertThat(add.status).isEqualTo(404);
    assertThat(add.body.get("error").asText()).isEqualTo("not_found");
    assertThat(add.body.get("message").asText()).isEqualTo("no category nope");
    assertThat(list.status).isEqualTo(404);
  }

  @Test
  void editionsCountUpFromAnyExistingBase() throws Exception {
    start(false);
    post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}");
    String book = post("/library/categories/fiction/books", "{\"title\":\"Dune\"}").body.get("bookId").asText();
    String editions = "/library/books/" + book + "/editions";

    var first = post(editions, "{}");
    var second = post(editions, "{\"baseEdition\":1}");
    var third = post(editions, "{\"baseEdition\":1}");
    var missingBase = post(editions, "{\"baseEdition\":7}");
    var noBase = post(editions, "{\"baseEdition\":null}");

    assertThat(first.status).isEqualTo(201);
    assertThat(first.body.get("edition").asInt()).isEqualTo(1);
    assertThat(second.body.get("edition").asInt()).isEqualTo(2);
    assertThat(third.body.get("edition").asInt()).isEqualTo(3);
    assertThat(third.body.get("position").asLong()).isGreaterThan(second.body.get("position").asLong());
    assertThat(missingBase.status).isEqualTo(422);
    assertThat(missingBase.body.get("error").asText()).isEqualTo("unprocessable");
    assertThat(missingBase.body.get("message").asText())
        .isEqualTo("base edition 7 of book " + book + " does not exist; its editions are [1, 2, 3]");
    assertThat(noBase.status).isEqualTo(422);
  }

  @Test
  void editionsOfAnUnknownBookAreNotFound() throws Exception {
    start(false);

    var answer = post("/library/books/no-such-book/editions", "{}");

    assertThat(answer.status).isEqualTo(404);
    assertThat(answer.body.get("message").asText()).isEqualTo("no book no-such-book");
  }

  @Test
  void badRequestsAreAnsweredWithTheReason() throws Exception {
    start(false);
    post("/library/categories", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}");

    var notJson = post("/library/categories", "{\"categoryId\":");
    var notAnObject = post("/library/categories/fiction/books", "[1]");
    var noTitle = post("/library/categories/fiction/books", "{\"name\":\"Dune\"}");
    var badId = post("/library/categories", "{\"categoryId\":\"a b\",\"name\":\"A\"}");
    var badBase = post("/library/books/b1/editions", "{\"baseEdition\":\"one\"}");
    var badEditionJson = post("/library/books/b1/editions", "not json");

    assertThat(List.of(notJson, notAnObject, noTitle, badId, badBase, badEditionJson))
        .allSatisfy(answer -> {
          assertThat(answer.status).isEqualTo(400);
          assertThat(answer.body.get("error").asText()).isEqualTo("bad_request");
        });
    assertThat(notJson.body.get("message").asText()).startsWith("the body is not JSON");
    assertThat(noTitle.body.get("message").asText()).isEqualTo("title must be a non-blank string");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    start(false);

    var unknown = get("/library/shelves");
    var wrongMethod = get("/library/categories");

    assertThat(unknown.status).isEqualTo(404);
    assertThat(wrongMethod.status).isEqualTo(405);
    assertThat(wrongMethod.body.get("error").asText()).isEqualTo("method_not_allowed");
  }

  /**
   * 64 threads add books to 3 categories at once, through HTTP: the numbers of each category are
   * 1..n without gaps or repeats, and n is the number of books the API said it added.
   */
  @ParameterizedTest(name = "queueByKey={0}")
  @ValueSource(booleans = {false, true})
  void concurrentBooksGetUniqueGapFreeNumbersPerCategory(boolean queueByKey) throws Exception {
    start(queueByKey);
    List<String> categories = List.of("fiction", "poetry", "history");
    for (String category : categories) {
      post("/library/categories", "{\"categoryId\":\"" + category + "\",\"name\":\"" + category + "\"}");
    }
    int threads = 64;
    int booksPerThread = 8;
    var numbersByCategory = new ConcurrentHashMap<String, ConcurrentLinkedQueue<Integer>>();
    var refused = new AtomicInteger();
    var ready = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    var futures = new ArrayList<Future<?>>();
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        ready.countDown();
        ready.await();
        for (int i = 0; i < booksPerThread; i++) {
          String category = categories.get((thread + i) % categories.size());
          var answer = post("/library/categories/" + category + "/books", "{\"title\":\"t" + thread + "-" + i + "\"}");
          if (answer.status == 201) {
            numbersByCategory.computeIfAbsent(category, c -> new ConcurrentLinkedQueue<>())
                .add(answer.body.get("number").asInt());
          } else {
            assertThat(answer.status).as(answer.body.toString()).isEqualTo(503);
            refused.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(2, TimeUnit.MINUTES);
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    pool.shutdown();

    int added = 0;
    for (String category : categories) {
      List<Integer> answered = new ArrayList<>(numbersByCategory.getOrDefault(category, new ConcurrentLinkedQueue<>()));
      JsonNode listed = get("/library/categories/" + category + "/books?minPosition=" + store.head()).body.get("books");
      List<Integer> stored = new ArrayList<>();
      listed.forEach(book -> stored.add(book.get("number").asInt()));
      List<Integer> oneToN = IntStream.rangeClosed(1, answered.size()).boxed().toList();
      assertThat(stored).as("numbers stored in %s", category).isEqualTo(oneToN);
      assertThat(answered).as("numbers answered in %s", category).containsExactlyInAnyOrderElementsOf(oneToN);
      added += answered.size();
    }
    assertThat(added + refused.get()).isEqualTo(threads * booksPerThread);
    double conflicts = count("chiplog.model.conflicts", "addBook");
    double commands = meters.find("chiplog.model.commands").tag("name", "addBook").counters().stream()
        .mapToDouble(Counter::count).sum();
    System.out.printf("LibraryHttpIT queueByKey=%s: %d books added, %d refused (lost every attempt), "
        + "%.0f conflicts over %.0f addBook commands, in %d ms%n", queueByKey, added, refused.get(), conflicts, commands,
        elapsedMillis);
    if (queueByKey) {
      // One process: the queue serializes each category, so its decisions never race each other.
      assertThat(conflicts).isZero();
      assertThat(refused.get()).isZero();
    }
  }

  private double count(String name, String command) {
    Counter counter = meters.find(name).tag("name", command).counter();
    return counter == null ? 0 : counter.count();
  }

  private record Answer(int status, JsonNode body) {}

  private Answer post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  private URI uri(String path) {
    return app.uri().resolve(path);
  }
}
