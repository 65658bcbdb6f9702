/**
 * The programming model: {@code evolve(state, event) -> state'} and {@code decide(state,
 * command) -> events}, in plain records and functions.
 *
 * <ul>
 *   <li>{@link io.chiplog.model.Entity}: a stream's state, decided with an expected revision;
 *   <li>{@link io.chiplog.model.Projection}: a small decision model over a query (a consistency
 *       boundary); {@link io.chiplog.model.Commands#decide} folds several of them from one read
 *       and appends on the condition that nothing matching their union appeared since;
 *   <li>{@link io.chiplog.model.EventTypes}: the registry of type names and tags, and the
 *       Jackson codec; {@link io.chiplog.model.Upcasters}: old shapes to new ones, on read;
 *   <li>{@link io.chiplog.model.SnapshotStore}: optional, versioned snapshots of entities.
 * </ul>
 *
 * Time and ids come from the {@link io.chiplog.model.CommandContext}, never from {@code evolve}.
 */
@NullMarked
package io.chiplog.model;

import org.jspecify.annotations.NullMarked;
