package io.chiplog.workflows;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One instance as of its last transition.
 *
 * @param workflow the workflow's name
 * @param id the instance's id
 * @param status where it is
 * @param step the step due or running (being compensated, when COMPENSATING); once waiting or
 *     ended, the one that led there
 * @param state its state
 * @param waitingUntil when its timer fires, while it waits for one
 * @param acceptsSignals whether it waits for signals now
 * @param failedAttempts failed attempts of the current step (or compensation)
 * @param reason why it failed for good, once COMPENSATING, COMPENSATED or FAILED
 * @param lastError the last error a step or compensation threw, if any
 * @param revision the revision of its stream's last event
 * @param position the position of that event in the log
 * @param <S> the state
 */
public record WorkflowInfo<S>(
    String workflow,
    String id,
    WorkflowStatus status,
    String step,
    S state,
    @Nullable Instant waitingUntil,
    boolean acceptsSignals,
    int failedAttempts,
    @Nullable String reason,
    @Nullable String lastError,
    long revision,
    long position) {}
