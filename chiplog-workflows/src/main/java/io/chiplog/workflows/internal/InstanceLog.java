package io.chiplog.workflows.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowNotFoundException;
import io.chiplog.workflows.WorkflowStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One workflow's instances in the store: each instance's stream ({@code workflow-<name>-<id>}),
 * appended at the revision the instance was folded from and folded back; and the tagged events
 * the engine finds instances by (started and ended ones, ended ones by status, the trigger's
 * last start).
 */
final class InstanceLog {
  private final Workflow<?> definition;
  private final String workflow;
  private final EventStore store;
  private final WorkflowCodec codec;
  private final String streamPrefix;

  InstanceLog(Workflow<?> definition, EventStore store, WorkflowCodec codec) {
    this.definition = definition;
    this.workflow = definition.name();
    this.store = store;
    this.codec = codec;
    this.streamPrefix = streamOf("");
  }

  String streamOf(String id) {
    return definition.streamOf(id);
  }

  /** The request that appends {@code events} after {@code instance}'s last revision (none: a new stream). */
  AppendRequest requestFor(Instance instance, List<EventData> events) {
    ExpectedRevision expected = instance.revision < 0 ? ExpectedRevision.noStream() : ExpectedRevision.exactly(instance.revision);
    return AppendRequest.of(events).toStream(streamOf(instance.id), expected);
  }

  /** Appends {@code events} to the instance's stream; the store refuses it if the stream moved since the fold. */
  AppendResult append(Instance instance, List<EventData> events) {
    return store.append(requestFor(instance, events));
  }

  List<EventData> encode(List<WorkflowEvent> events) {
    var data = new ArrayList<EventData>(events.size());
    for (WorkflowEvent event : events) {
      data.add(codec.encode(event));
    }
    return data;
  }

  /** Folds instance {@code id} from its stream, stepping over its decision steps' own events; null when it has none. */
  @Nullable Instance load(String id) {
    try (Stream<RecordedEvent> events = store.readStream(streamOf(id), ReadOptions.forwards())) {
      Instance instance = null;
      for (RecordedEvent event : (Iterable<RecordedEvent>) events::iterator) {
        if (instance == null) {
          instance = new Instance(workflow, id, NullNode.getInstance());
        }
        if (WorkflowCodec.types().contains(event.type())) {
          instance.apply(codec.decode(event), event.revision(), event.position());
        } else {
          instance.skip(event.revision(), event.position());
        }
      }
      return instance;
    } catch (StreamNotFoundException none) {
      return null;
    }
  }

  /** The ids of the instances started and not ended, oldest first: their stream names only, nothing decoded. */
  Set<String> openIds() {
    var open = new LinkedHashSet<String>();
    var query = Query.of(QueryItem.types("WorkflowStarted", "WorkflowEnded").withTags(WorkflowCodec.workflowTag(workflow)));
    try (Stream<RecordedEvent> events = store.read(query)) {
      events.forEach(event -> {
        if (event.type().equals("WorkflowStarted")) {
          open.add(idOf(event));
        } else {
          open.remove(idOf(event));
        }
      });
    }
    return open;
  }

  /** Up to {@code limit} ids of instances that ended with {@code status}, newest first. */
  List<String> endedIds(WorkflowStatus status, int limit) {
    var query = Query.of(QueryItem.types("WorkflowEnded").withTags(WorkflowCodec.endedTag(workflow, status)));
    try (Stream<RecordedEvent> ended = store.read(query, ReadOptions.backwards().limit(limit))) {
      return ended.map(this::idOf).distinct().toList();
    }
  }

  /** The position of the event that started the trigger's last instance; 0 when it started none. */
  long lastTriggerPosition() {
    var query = Query.of(QueryItem.types("WorkflowStarted").withTags(WorkflowCodec.triggeredTag(workflow)));
    try (Stream<RecordedEvent> last = store.read(query, ReadOptions.backwards().limit(1))) {
      return last.findFirst()
          .map(event -> (WorkflowEvent.Started) codec.decode(event))
          .map(started -> Objects.requireNonNullElse(started.triggerPosition(), 0L))
          .orElse(0L);
    }
  }

  /** The events of instance {@code id}'s stream, oldest first. */
  List<RecordedEvent> history(String id) {
    try (Stream<RecordedEvent> events = store.readStream(streamOf(id), ReadOptions.forwards())) {
      return events.toList();
    } catch (StreamNotFoundException none) {
      throw new WorkflowNotFoundException(workflow, id);
    }
  }

  private String idOf(RecordedEvent event) {
    return Objects.requireNonNull(event.stream(), "a workflow event without a stream").substring(streamPrefix.length());
  }
}
