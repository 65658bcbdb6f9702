/**
 * Durable workflows: long-running processes written as named steps over an event-sourced
 * state, whose every transition is an event in the instance's stream.
 *
 * <ul>
 *   <li>{@link io.chiplog.workflows.Workflow}: the definition (steps, compensations, signals,
 *       retry policy, an optional event that starts it);
 *   <li>{@link io.chiplog.workflows.Transition}: what a step answers: the next step, a wait for a
 *       durable timer or a signal, the end, or a failure that compensates;
 *   <li>{@link io.chiplog.workflows.Workflows}: the engine that runs the instances, resumes them
 *       after a crash, fires their timers and shows their status and history.
 * </ul>
 */
@NullMarked
package io.chiplog.workflows;

import org.jspecify.annotations.NullMarked;
