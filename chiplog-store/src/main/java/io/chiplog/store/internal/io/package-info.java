/**
 * Memory maps under the store: {@link io.chiplog.store.internal.io.MappedFile}, read-only maps of
 * immutable index files of any size. Thread-safe.
 */
@NullMarked
package io.chiplog.store.internal.io;

import org.jspecify.annotations.NullMarked;
