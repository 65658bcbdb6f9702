/**
 * The log: segment files of checksummed records. {@link io.chiplog.store.internal.log.RecordLayout}
 * and {@link io.chiplog.store.internal.log.SegmentLayout} draw the binary format; {@link
 * io.chiplog.store.internal.log.RecordCodec} writes and reads records; {@link
 * io.chiplog.store.internal.log.SegmentLog} owns the files (appends by the writer thread only,
 * positional reads from any thread); {@link io.chiplog.store.internal.log.LogScanner} reads them
 * sequentially, checking every checksum. A record whose checksum fails is never returned as data.
 */
@NullMarked
package io.chiplog.store.internal.log;

import org.jspecify.annotations.NullMarked;
