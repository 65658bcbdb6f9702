package io.chiplog.examples.social;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.StoreClosedException;
import io.chiplog.examples.social.SocialEvent.FriendshipAdded;
import io.chiplog.examples.social.SocialEvent.FriendshipRemoved;
import io.chiplog.examples.social.SocialEvent.UserRegistered;
import io.chiplog.views.ViewNotCaughtUpException;
import java.io.IOException;
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
      answerError(request, response, callback, error);
    }
    return true;
  }

  private void route(Request request, Response response) throws IOException {
    String method = request.getMethod();
    String[] path = Request.getPathInContext(request).split("/", -1);
    // path[0] is the empty string before the first slash.
    if (path.length < 3 || !path[1].equals("social")) {
      throw notFound(request);
    }
    if (path.length == 3 && path[2].equals("users")) {
      only(method, "POST");
      register(request, response);
    } else if (path.length == 3 && path[2].equals("friendships")) {
      only(method, "POST");
      befriend(request, response);
    } else if (path.length == 5 && path[2].equals("friendships")) {
      only(method, "DELETE");
      unfriend(response, HttpJson.userId(path[3], "a"), HttpJson.userId(path[4], "b"));
    } else if (path.length == 5 && path[2].equals("users") && path[4].equals("friends")) {
      only(method, "GET");
      String userId = HttpJson.userId(path[3], "userId");
      answerRead(response, userId, "friends", social.friendsOf(userId, HttpJson.minPosition(request)));
    } else if (path.length == 5 && path[2].equals("users") && path[4].equals("friends-of-friends")) {
      only(method, "GET");
      String userId = HttpJson.userId(path[3], "userId");
      answerRead(response, userId, "friendsOfFriends", social.friendsOfFriendsOf(userId, HttpJson.minPosition(request)));
    } else {
      throw notFound(request);
    }
  }

  private void register(Request request, Response response) throws IOException {
    JsonNode body = json.body(request);
    String userId = HttpJson.userId(HttpJson.text(body, "userId"), "userId");
    String name = HttpJson.text(body, "name");
    answerWrite(response, 201, social.register(userId, name));
  }

  private void befriend(Request request, Response response) throws IOException {
    JsonNode body = json.body(request);
    String a = HttpJson.userId(HttpJson.text(body, "a"), "a");
    String b = HttpJson.userId(HttpJson.text(body, "b"), "b");
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
      case Answer.Missing<T> missing -> throw new Problem(404, "not_found", missing.reason());
      case Answer.Refused<T> refused -> throw new Problem(409, "conflict", refused.reason());
      case Answer.Invalid<T> invalid -> throw Problem.badRequest(invalid.reason());
    };
  }

  private static void only(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new Problem(405, "method_not_allowed", "use " + allowed);
    }
  }

  private static Problem notFound(Request request) {
    return new Problem(404, "not_found", "no such endpoint: " + request.getMethod() + " " + Request.getPathInContext(request));
  }

  private void answerError(Request request, Response response, Callback callback, Throwable error) {
    Problem problem = problemOf(request, response, error);
    if (response.isCommitted()) {
      callback.failed(error);
      return;
    }
    try {
      json.send(response, problem);
      callback.succeeded();
    } catch (Throwable writeFailed) {
      callback.failed(writeFailed);
    }
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
