/**
 * Answering queries: {@link io.chiplog.store.internal.read.QueryMatcher} turns a query into a
 * stream of candidate positions from the key index and checks each against the index alone;
 * {@link io.chiplog.store.internal.read.EventReader} turns positions into events, through the
 * position index and the log. Thread-safe; readers never take a lock the writer needs.
 */
@NullMarked
package io.chiplog.store.internal.read;

import org.jspecify.annotations.NullMarked;
