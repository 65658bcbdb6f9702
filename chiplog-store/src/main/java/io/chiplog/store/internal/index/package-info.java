/**
 * The derived indexes: {@link io.chiplog.store.internal.index.PositionIndex} (position to log
 * location) and {@link io.chiplog.store.internal.index.KeyIndex} (stream, tag, type and event id
 * to positions). Each is a recent tail in heap plus immutable files on disk that are memory-mapped
 * ({@link io.chiplog.store.internal.index.IndexRun}), so the heap stays bounded as the log grows.
 * {@link io.chiplog.store.internal.index.Checkpoint} records how far the files cover the log.
 *
 * <p>One writer thread mutates; readers take an immutable snapshot and ignore positions above the
 * head they read, so they never block the writer and never see a partial append.
 */
@NullMarked
package io.chiplog.store.internal.index;

import org.jspecify.annotations.NullMarked;
