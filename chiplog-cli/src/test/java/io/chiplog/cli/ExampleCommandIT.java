package io.chiplog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chiplog example library} and {@code chiplog example social} in a child JVM: each
 * serves, stops gracefully on SIGTERM, and a restart on the same data goes on where it stopped
 * (the next number, a fresh book id; views read back from their file at once).
 */
class ExampleCommandIT {
  private static final Pattern SERVING = Pattern.compile("The library is serving .* at (http://\\S+)");
  private static final Pattern SOCIAL_SERVING = Pattern.compile("The social graph is serving .* at (http://\\S+)");
  private static final Pattern POSITION = Pattern.compile("\"position\":(\\d+)");
  private static final Pattern BOOK = Pattern.compile("\\{\"bookId\":\"([^\"]+)\",\"number\":(\\d+),\"position\":(\\d+)}");

  @TempDir Path data;

  @Test
  void theLibraryServesStopsOnSigtermAndGoesOnAfterARestart() throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      Matcher dune;
      try (var first = start()) {
        URI library = first.uri();
        assertThat(post(http, library.resolve("/library/categories"), "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}"))
            .isEqualTo("201 {\"categoryId\":\"fiction\",\"name\":\"Fiction\",\"position\":1}");
        dune = book(post(http, library.resolve("/library/categories/fiction/books"), "{\"title\":\"Dune\"}"));
        assertThat(first.terminate()).isIn(0, 143);
      }

      try (var second = start()) {
        URI again = second.uri();
        Matcher emma = book(post(http, again.resolve("/library/categories/fiction/books"), "{\"title\":\"Emma\"}"));
        // The shelves view survived the restart in <data>/views/views.db; minPosition reads the write.
        String listed = get(http, again.resolve("/library/categories/fiction/books?minPosition=" + emma.group(3)));

        assertThat(dune.group(2)).isEqualTo("1");
        assertThat(emma.group(2)).isEqualTo("2");
        assertThat(emma.group(1)).isNotEqualTo(dune.group(1));
        assertThat(listed).contains("\"bookId\":\"" + dune.group(1) + "\"", "\"bookId\":\"" + emma.group(1) + "\"");
      }
    }
  }

  @Test
  void theSocialGraphServesStopsOnSigtermAndKeepsItsViewsInItsDataDirectory() throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      long last;
      try (var first = ServerProcess.start(SOCIAL_SERVING, socialArgs())) {
        URI social = first.uri();
        for (String user : List.of("ann", "bob", "cat")) {
          assertThat(post(http, social.resolve("/social/users"), "{\"userId\":\"" + user + "\",\"name\":\"" + user + "\"}"))
              .startsWith("201 ");
        }
        assertThat(post(http, social.resolve("/social/friendships"), "{\"a\":\"ann\",\"b\":\"bob\"}")).startsWith("201 ");
        String made = post(http, social.resolve("/social/friendships"), "{\"a\":\"bob\",\"b\":\"cat\"}");
        Matcher position = POSITION.matcher(made);
        assertThat(position.find()).as(made).isTrue();
        last = Long.parseLong(position.group(1));
        assertThat(get(http, social.resolve("/social/users/ann/friends-of-friends?minPosition=" + last)))
            .isEqualTo("{\"userId\":\"ann\",\"friendsOfFriends\":[\"cat\"],\"position\":" + last + "}\n");
        assertThat(first.terminate()).isIn(0, 143);
      }
      assertThat(data.resolve("views.db")).isRegularFile();

      try (var second = ServerProcess.start(SOCIAL_SERVING, socialArgs())) {
        URI again = second.uri();
        // No minPosition: the views resumed from views.db, so they answer at once. (Their
        // position may still say 0 for a moment, until each runner has read its checkpoint.)
        assertThat(get(http, again.resolve("/social/users/bob/friends")))
            .startsWith("{\"userId\":\"bob\",\"friends\":[\"ann\",\"cat\"],");
        assertThat(get(http, again.resolve("/social/users/cat/friends-of-friends?minPosition=" + last)))
            .isEqualTo("{\"userId\":\"cat\",\"friendsOfFriends\":[\"ann\"],\"position\":" + last + "}\n");
        assertThat(post(http, again.resolve("/social/friendships"), "{\"a\":\"cat\",\"b\":\"bob\"}"))
            .isEqualTo("409 {\"error\":\"conflict\",\"message\":\"cat and bob are friends already\"}");
      }
    }
  }

  private List<String> socialArgs() {
    return List.of("example", "social", "--data", data.toString(), "--port", "0");
  }

  private ServerProcess start() throws IOException, InterruptedException {
    return ServerProcess.start(SERVING, List.of("example", "library", "--data", data.toString(), "--port", "0"));
  }

  private static Matcher book(String answer) {
    Matcher matcher = BOOK.matcher(answer);
    assertThat(answer).startsWith("201 ");
    assertThat(matcher.find()).as(answer).isTrue();
    return matcher;
  }

  private static String post(HttpClient http, URI uri, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
