package io.chiplog.workflows.internal;

import io.chiplog.api.ChiplogException;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.RecordedEvent;
import io.chiplog.model.Recorded;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowExistsException;
import io.chiplog.workflows.WorkflowStart;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a workflow's trigger query and starts an instance for each event its rule maps to
 * one. Its checkpoint is the log itself: each instance it starts records the position of its
 * event, and it resumes after the last one. An event seen again (after a crash between the
 * start and the next) starts nothing, since its instance exists. An event whose rule throws is
 * retried with backoff and never skipped.
 */
final class TriggerFollower<E, S> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerFollower.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long BACKOFF_MAX_MILLIS = 5_000;

  private final Workflow.Trigger<E, S> trigger;
  private final WorkflowRuntime<S> runtime;
  private final EventSubscription subscription;
  private @Nullable Thread thread;
  private volatile boolean closed;

  TriggerFollower(Workflow.Trigger<E, S> trigger, WorkflowRuntime<S> runtime, EventStore store, long from) {
    this.trigger = trigger;
    this.runtime = runtime;
    this.subscription = store.subscribe(trigger.query(), from);
  }

  void start() {
    thread = Thread.ofVirtual().name("chiplog-workflow-trigger-" + runtime.workflow().name()).start(this::follow);
  }

  private void follow() {
    long backoff = 100;
    while (!closed) {
      try {
        List<RecordedEvent> events = subscription.poll(256, POLL);
        for (RecordedEvent event : events) {
          startFor(event);
        }
        backoff = 100;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.error("workflow {}: its trigger failed; trying again in {} ms", runtime.workflow().name(), backoff, e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = Math.min(BACKOFF_MAX_MILLIS, backoff * 2);
      }
    }
  }

  private void startFor(RecordedEvent event) throws InterruptedException {
    long backoff = 100;
    while (!closed) {
      try {
        Recorded<E> recorded = trigger.types().decode(List.of(event)).getFirst();
        WorkflowStart<S> start = trigger.rule().apply(recorded.event());
        if (start != null) {
          runtime.start(start.id(), start.state(), event.position());
        }
        return;
      } catch (WorkflowExistsException seenBefore) {
        return;
      } catch (ChiplogException storeFailure) {
        if (closed) {
          return;
        }
        LOG.error("workflow {}: cannot start an instance for the event at position {}; trying again in {} ms",
            runtime.workflow().name(), event.position(), backoff, storeFailure);
        Thread.sleep(backoff);
        backoff = Math.min(BACKOFF_MAX_MILLIS, backoff * 2);
      } catch (RuntimeException never) {
        // The rule or the event itself is at fault (an id it may not use, a state that does not
        // write): trying again cannot help, and must not hold up every later event.
        LOG.error("workflow {}: the event at position {} starts no instance: its start rule failed", runtime.workflow().name(),
            event.position(), never);
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    subscription.close();
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
  }
}
