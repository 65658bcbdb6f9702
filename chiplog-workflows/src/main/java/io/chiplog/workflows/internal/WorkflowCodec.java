package io.chiplog.workflows.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chiplog.api.EventData;
import io.chiplog.api.RecordedEvent;
import io.chiplog.workflows.WorkflowStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Writes and reads {@link WorkflowEvent}s and the workflow's state, with the definition's mapper. */
public final class WorkflowCodec {
  private static final Map<String, Class<? extends WorkflowEvent>> TYPES = Map.of(
      "WorkflowStarted", WorkflowEvent.Started.class,
      "WorkflowStepped", WorkflowEvent.Stepped.class,
      "WorkflowSignalled", WorkflowEvent.Signalled.class,
      "WorkflowTimerFired", WorkflowEvent.TimerFired.class,
      "WorkflowStepFailed", WorkflowEvent.StepFailed.class,
      "WorkflowCompensating", WorkflowEvent.Compensating.class,
      "WorkflowCompensated", WorkflowEvent.Compensated.class,
      "WorkflowEnded", WorkflowEvent.Ended.class);

  private static final byte[] NO_METADATA = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final ObjectMapper mapper;
  private final String workflowTag;
  private final String triggeredTag;
  private final String workflow;

  /** A codec for the events of workflow {@code workflow}. */
  public WorkflowCodec(String workflow, ObjectMapper mapper) {
    this.workflow = workflow;
    this.mapper = mapper;
    this.workflowTag = workflowTag(workflow);
    this.triggeredTag = triggeredTag(workflow);
  }

  /** The tag on every event of the workflow's instances. */
  public static String workflowTag(String workflow) {
    return "workflow:" + workflow;
  }

  /** The tag on the {@code WorkflowStarted} events a trigger wrote: the trigger's checkpoint. */
  public static String triggeredTag(String workflow) {
    return "workflow-triggered:" + workflow;
  }

  /** The tag on the {@code WorkflowEnded} events of one final status: lists by status read only those. */
  public static String endedTag(String workflow, WorkflowStatus status) {
    return "workflow-ended:" + workflow + ":" + status.name().toLowerCase(Locale.ROOT);
  }

  /** The stored form of {@code event}. */
  public EventData encode(WorkflowEvent event) {
    try {
      Set<String> tags = switch (event) {
        case WorkflowEvent.Started started when started.triggerPosition() != null -> Set.of(workflowTag, triggeredTag);
        case WorkflowEvent.Ended ended -> Set.of(workflowTag, endedTag(workflow, ended.status()));
        default -> Set.of(workflowTag);
      };
      return new EventData(UUID.randomUUID(), event.type(), tags, mapper.writeValueAsBytes(event), NO_METADATA);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write workflow event " + event.type(), e);
    }
  }

  /**
   * Reads a stored event.
   *
   * @throws IllegalStateException when it is not a workflow event or does not read
   */
  public WorkflowEvent decode(RecordedEvent recorded) {
    Class<? extends WorkflowEvent> type = TYPES.get(recorded.type());
    if (type == null) {
      throw new IllegalStateException("not a workflow event at position " + recorded.position() + ": " + recorded.type());
    }
    try {
      return mapper.readValue(recorded.data(), type);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable " + recorded.type() + " at position " + recorded.position(), e);
    }
  }

  /** The state as stored. */
  public JsonNode toTree(Object value) {
    return mapper.valueToTree(value);
  }

  /** The state read back. */
  public <T> T fromTree(JsonNode tree, Class<T> type) {
    try {
      return mapper.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the stored state does not read as " + type.getName(), e);
    }
  }

  /** The event types of workflow events, for queries. */
  public static Set<String> types() {
    return TYPES.keySet();
  }
}
