package io.chiplog.examples.bank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.RecordedEvent;
import io.chiplog.examples.support.HttpJson;
import io.chiplog.examples.support.Problem;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowStatus;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Transfers in and out of JSON, for {@link BankHandler}: checked bodies and amounts, and the
 * answers (a transfer, a list, a history of events, the engine's numbers). Thread-safe.
 */
final class TransferJson {
  private final HttpJson json;

  TransferJson(HttpJson json) {
    this.json = json;
  }

  /**
   * A transfer's body {@code {"from","to","amount"}}.
   *
   * @throws Problem 400 when a field is missing or wrong, or both accounts are one
   */
  Transfer transfer(JsonNode body) {
    String from = HttpJson.id(HttpJson.text(body, "from"), "from");
    String to = HttpJson.id(HttpJson.text(body, "to"), "to");
    long amount = amount(body, "amount");
    if (from.equals(to)) {
      throw Problem.badRequest("a transfer needs two different accounts, got " + from + " twice");
    }
    return new Transfer(from, to, amount);
  }

  /**
   * The field, a whole number of cents of at least 1.
   *
   * @throws Problem 400 otherwise
   */
  static long amount(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
      throw Problem.badRequest(field + " must be a whole number of cents >= 1, was " + value);
    }
    return value.longValue();
  }

  /** A transfer as it is now. */
  ObjectNode of(WorkflowInfo<Transfer> info) {
    ObjectNode answer = json.object().put("transferId", info.id());
    Transfer transfer = info.state();
    answer.put("from", transfer.from()).put("to", transfer.to()).put("amount", transfer.amount())
        .put("status", info.status().name()).put("step", info.step()).put("reason", info.reason());
    if (info.lastError() != null) {
      answer.put("lastError", info.lastError()).put("failedAttempts", info.failedAttempts());
    }
    return answer.put("position", info.position());
  }

  /** Several transfers. */
  ObjectNode list(List<WorkflowInfo<Transfer>> infos) {
    ObjectNode answer = json.object();
    ArrayNode array = answer.putArray("transfers");
    infos.forEach(info -> array.add(of(info)));
    return answer;
  }

  /** A transfer's or an account's events ({@code {"<idField>":id,"events":[…]}}), with their data as JSON. */
  ObjectNode history(String idField, String id, List<RecordedEvent> events) throws IOException {
    ObjectNode answer = json.object().put(idField, id);
    ArrayNode array = answer.putArray("events");
    for (RecordedEvent event : events) {
      ObjectNode item = array.addObject().put("position", event.position());
      if (event.stream() != null) {
        item.put("revision", event.revision());
      }
      item.put("type", event.type()).put("recordedAt", event.recordedAt().toString())
          .set("data", json.mapper().readTree(event.data()));
    }
    return answer;
  }

  /** The numbers of {@link TransferStats}. */
  ObjectNode stats(TransferStats.Snapshot snapshot) {
    ObjectNode answer = json.object();
    ObjectNode running = answer.putObject("running");
    for (Map.Entry<WorkflowStatus, Integer> entry : snapshot.running().entrySet()) {
      running.put(entry.getKey().name(), entry.getValue());
    }
    ObjectNode ended = answer.putObject("endedSinceStart");
    for (Map.Entry<WorkflowStatus, Long> entry : snapshot.endedSinceStart().entrySet()) {
      ended.put(entry.getKey().name(), entry.getValue());
    }
    return answer.put("pendingTimers", snapshot.pendingTimers());
  }
}
