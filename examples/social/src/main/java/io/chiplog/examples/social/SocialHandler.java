package io.chiplog.examples.social;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.StoreClosedException;
import io.chiplog.examples.social.SocialEvent.FriendshipAdded;
import io.chiplog.examples.social.SocialEvent.FriendshipRemoved;
import io.chiplog.examples.social.SocialEvent.UserRegistered;
import io.chiplog.examples.support.HttpJson;
import io.chiplog.examples.support.Problem;
import io.chiplog.views.ViewNotCaughtUpException;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The social graph's HTTP API. Jetty calls it on a virtual thread per request (it declares
 * itself blocking), so it decides, waits for views and answers in plain blocking code:
 *
 * <pre>
 * POST   /social/users                        {"userId","name"} → 201 {"userId","name","position"}; 409
 * POST   /social/friendships                  {"a","b"} → 201 {"a","b","position"}; 404; 409; 400 for a = b
 * DELETE /social/friendships/{a}/{b}          → 200 {"a","b","position"}; 404; 409
 * GET    /social/users/{id}/friends           ?minPosition=N → 200 {"userId","friends","position"}; 404; 503
 * GET    /social/users/{id}/friends-of-friends ?minPosition=N → 200 {"userId","friendsOfFriends","position"}
 * </pre>
 *
 * Errors are {@code {"error":"<code>","message":"…"}} as in the server's API; a view that has
 * not reached {@code minPosition} in time is a 503 with {@code Retry-After: 1}. Thread-safe.
 */
final class SocialHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(SocialHandler.class);
  private static final String MIN_POSITION = "minPosition";

  private final Social social;
  private final HttpJson json = new HttpJson();

  SocialHandler(Social social) {
    super(InvocationType.BLOCKING);
    this.social = social;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      route(request, response);
      callback.succeeded();
    } catch (Throwable error) {
      json.answer(response, callback, error, problemOf(request, response, error));
    }
    return true;
  }

  private void route(Request request, Response response) throws IOException {
    String method = request.getMethod();
    String[] path = Request.getPathInContext(request).split("/", -1);
    // path[0] is the empty string before the first slash.
    if (path.length < 3 || !path[1].equals("social")) {
      throw HttpJson.noEndpoint(request);
    }
    if (path.length == 3 && path[2].equals("users")) {
      HttpJson.only(method, "POST");
      register(request, response);
    } else if (path.length == 3 && path[2].equals("friendships")) {
      HttpJson.only(method, "POST");
      befriend(request, response);
    } else if (path.length == 5 && path[2].equals("friendships")) {
      HttpJson.only(method, "DELETE");
      unfriend(response, HttpJson.id(path[3], "a"), HttpJson.id(path[4], "b"));
    } else if (path.length == 5 && path[2].equals("users") && path[4].equals("friends")) {
      HttpJson.only(method, "GET");
      String userId = HttpJson.id(path[3], "userId");
      answerRead(response, userId, "friends", social.friendsOf(userId, minPosition(request)));
    } else if (path.length == 5 && path[2].equals("users") && path[4].equals("friends-of-friends")) {
      HttpJson.only(method, "GET");
      String userId = HttpJson.id(path[3], "userId");
      answerRead(response, userId, "friendsOfFriends", social.friendsOfFriendsOf(userId, minPosition(request)));
    } else {
      throw HttpJson.noEndpoint(request);
    }
  }

  private void register(Request request, Response response) throws IOException {
    JsonNode body = json.body(request);
    String userId = HttpJson.id(HttpJson.text(body, "userId"), "userId");
    String name = HttpJson.text(body, "name");
    answerWrite(response, 201, social.register(userId, name));
  }

  private void befriend(Request request, Response response) throws IOException {
    JsonNode body = json.body(request);
    String a = HttpJson.id(HttpJson.text(body, "a"), "a");
    String b = HttpJson.id(HttpJson.text(body, "b"), "b");
    answerWrite(response, 201, social.befriend(a, b));
  }

  private void unfriend(Response response, String a, String b) throws IOException {
    answerWrite(response, 200, social.unfriend(a, b));
  }

  private void answerWrite(Response response, int status, Answer<Social.Written> answer) throws IOException {
    Social.Written written = done(answer);
    ObjectNode body = json.object();
    switch (written.event()) {
      case UserRegistered user -> body.put("userId", user.userId()).put("name", user.name());
      case FriendshipAdded added -> body.put("a", added.a()).put("b", added.b());
      case FriendshipRemoved removed -> body.put("a", removed.a()).put("b", removed.b());
    }
    json.send(response, status, body.put("position", written.position()));
  }

  private void answerRead(Response response, String userId, String field, Answer<Social.Read> answer) throws IOException {
    Social.Read read = done(answer);
    ObjectNode body = json.object().put("userId", userId);
    read.userIds().forEach(body.putArray(field)::add);
    json.send(response, 200, body.put("position", read.position()));
  }

  /** The value when done; otherwise the problem that says why not. */
  private static <T> T done(Answer<T> answer) {
    return switch (answer) {
      case Answer.Done<T> done -> done.value();
      case Answer.Missing<T> missing -> throw Problem.notFound(missing.reason());
      case Answer.Refused<T> refused -> throw new Problem(409, "conflict", refused.reason());
      case Answer.Invalid<T> invalid -> throw Problem.badRequest(invalid.reason());
    };
  }

  /** The {@code minPosition} query parameter, or null; no other parameter is allowed. */
  private static @Nullable Long minPosition(Request request) {
    String value = HttpJson.parameters(request, List.of(MIN_POSITION)).get(MIN_POSITION);
    return value == null ? null : HttpJson.wholeNumber(MIN_POSITION, value, 0);
  }

  private static Problem problemOf(Request request, Response response, Throwable error) {
    return switch (error) {
      case Problem known -> known;
      case ViewNotCaughtUpException late -> unavailable(response, late.getMessage());
      // Lost every attempt to rivals: nothing was appended, and trying again is safe.
      case AppendConflictException conflict -> unavailable(response, "too many concurrent changes, try again: " + conflict.getMessage());
      case StoreClosedException closed -> unavailable(response, "the social graph is stopping");
      default -> {
        LOG.atError().addKeyValue("method", request.getMethod()).addKeyValue("path", Request.getPathInContext(request))
            .setCause(error).log("request failed");
        yield new Problem(500, "internal", "internal error: " + error);
      }
    };
  }

  private static Problem unavailable(Response response, @Nullable String message) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
    return new Problem(503, "unavailable", String.valueOf(message));
  }
}
