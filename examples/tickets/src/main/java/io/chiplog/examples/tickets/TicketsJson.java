package io.chiplog.examples.tickets;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.workflows.WorkflowInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the box office's answers, one method per kind of answer. Absent values are left
 * out rather than written as null. Stateless; thread-safe.
 */
final class TicketsJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TicketsJson() {}

  /** A hold just made. */
  static ObjectNode held(BoxOffice.Held held) {
    SeatHeld event = held.event();
    return NODES.objectNode()
        .put("holdId", event.holdId())
        .put("show", event.show())
        .put("seat", event.seat())
        .put("customer", event.customer())
        .put("expiresAt", event.expiresAt().toString())
        .put("position", held.position());
  }

  /** A payment taken: the seat sold, or (when the sale took longer than the wait) about to be. */
  static ObjectNode paid(Tickets.Paid paid) {
    HoldState hold = paid.hold();
    return NODES.objectNode()
        .put("holdId", hold.holdId())
        .put("show", hold.show())
        .put("seat", hold.seat())
        .put("customer", hold.customer())
        .put("status", paid.sold() ? "sold" : "paid")
        .put("position", paid.position());
  }

  /** A hold and where its workflow is. */
  static ObjectNode hold(WorkflowInfo<HoldState> info) {
    HoldState hold = info.state();
    ObjectNode json = NODES.objectNode()
        .put("holdId", hold.holdId())
        .put("show", hold.show())
        .put("seat", hold.seat())
        .put("customer", hold.customer())
        .put("expiresAt", hold.expiresAt().toString())
        .put("status", info.status().name())
        .put("step", info.step());
    putIfPresent(json, "waitingUntil", info.waitingUntil());
    if (hold.outcome() != null) {
      json.put("outcome", lowerCase(hold.outcome()));
    }
    if (info.reason() != null) {
      json.put("reason", info.reason());
    }
    return json;
  }

  /** Holds listed by status. */
  static ObjectNode holds(String status, List<WorkflowInfo<HoldState>> holds) {
    ObjectNode json = NODES.objectNode().put("status", status);
    var array = json.putArray("holds");
    holds.forEach(info -> array.add(hold(info)));
    return json;
  }

  /** A show's seats, by name. */
  static ObjectNode seats(String show, BoxOffice.ShowSeats seats) {
    ObjectNode json = NODES.objectNode().put("show", show);
    var array = json.putArray("seats");
    for (Map.Entry<String, Seat> entry : seats.seats().entrySet()) {
      Seat seat = entry.getValue();
      ObjectNode one = array.addObject().put("seat", entry.getKey()).put("state", lowerCase(seat.state()));
      putIfPresent(one, "holdId", seat.holdId());
      putIfPresent(one, "customer", seat.customer());
      putIfPresent(one, "expiresAt", seat.expiresAt());
    }
    return json.put("position", seats.position());
  }

  private static void putIfPresent(ObjectNode json, String field, @Nullable Object value) {
    if (value != null) {
      json.put(field, value.toString());
    }
  }

  private static String lowerCase(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
