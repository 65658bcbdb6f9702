package io.chiplog.store.internal.log;

import io.chiplog.api.RecordedEvent;

/**
 * A record read back from the log: the event and the shape of the append it came in.
 *
 * @param event the event
 * @param batchSize how many events its append had
 * @param batchIndex its place in that append
 * @param commitPosition the first position of the group commit that wrote it
 * @param sizeBytes the record's size on disk, frame included
 */
public record LogRecord(RecordedEvent event, int batchSize, int batchIndex, long commitPosition, int sizeBytes) {}
