/**
 * The write path: {@link io.chiplog.store.internal.write.Writer}, the one thread that owns the
 * log's end. Appends queue up; each turn takes a batch, decides every append (retry, expected
 * revision, condition) against the indexes plus the appends accepted earlier in the same batch,
 * writes the accepted ones with one write and one {@code fsync}, and only then acknowledges them.
 */
@NullMarked
package io.chiplog.store.internal.write;

import org.jspecify.annotations.NullMarked;
