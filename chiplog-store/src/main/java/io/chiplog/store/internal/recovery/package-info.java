/**
 * Opening a store after a clean close or a crash ({@link io.chiplog.store.internal.recovery.Recovery}):
 * the index files are trusted up to the checkpoint, the log after it is scanned and indexed, and a
 * torn tail is cut. {@link io.chiplog.store.internal.recovery.Verifier} checks a whole store. Both
 * run before or beside the writer, on the caller's thread.
 */
@NullMarked
package io.chiplog.store.internal.recovery;

import org.jspecify.annotations.NullMarked;
