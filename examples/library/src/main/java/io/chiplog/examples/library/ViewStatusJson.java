package io.chiplog.examples.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.views.ViewFailure;
import io.chiplog.views.ViewStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The views' status as JSON, for {@code GET /library/views}: what an operator looks at first. */
final class ViewStatusJson {
  private ViewStatusJson() {}

  static ObjectNode of(ObjectMapper json, List<ViewStatus> statuses) {
    ObjectNode answer = json.createObjectNode();
    var array = answer.putArray("views");
    for (ViewStatus status : statuses) {
      ObjectNode view = array.addObject()
          .put("view", status.view())
          .put("version", status.version())
          .put("space", status.space())
          .put("state", status.state().name())
          .put("position", status.position())
          .put("head", status.head())
          .put("lag", status.lag())
          .put("eventsPerSecond", Math.round(status.eventsPerSecond()))
          .put("lastError", status.lastError());
      failure(view, status.failure());
      ViewStatus.Rebuild rebuild = status.rebuild();
      if (rebuild != null) {
        ObjectNode building = view.putObject("rebuild")
            .put("version", rebuild.version())
            .put("state", rebuild.state().name())
            .put("position", rebuild.position())
            .put("progress", rebuild.progress());
        failure(building, rebuild.failure());
      }
    }
    return answer;
  }

  private static void failure(ObjectNode parent, @Nullable ViewFailure failure) {
    if (failure != null) {
      parent.putObject("failure")
          .put("position", failure.position())
          .put("eventId", failure.eventId().toString())
          .put("eventType", failure.eventType())
          .put("error", failure.error())
          .put("attempts", failure.attempts())
          .put("failedAt", failure.failedAt().toString());
    }
  }
}
