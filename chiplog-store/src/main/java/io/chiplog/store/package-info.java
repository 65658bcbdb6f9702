/**
 * The embedded event store: {@link io.chiplog.store.FileEventStore}, opened with {@link
 * io.chiplog.store.StoreOptions}. It keeps a segmented, checksummed log with one group-committing
 * writer thread and persisted indexes; see {@code docs/storage-format.md}. Thread-safe.
 */
@NullMarked
package io.chiplog.store;

import org.jspecify.annotations.NullMarked;
