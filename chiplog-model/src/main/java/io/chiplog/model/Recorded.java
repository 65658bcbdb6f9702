package io.chiplog.model;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event of the model as stored: the decoded event and where the store put it.
 *
 * @param event the event, decoded (and upcast)
 * @param id its id
 * @param position its global position
 * @param stream its stream, or null
 * @param revision its revision in the stream, or -1
 * @param recordedAt when the store recorded it
 * @param <E> the event type
 */
public record Recorded<E>(
    E event, UUID id, long position, @Nullable String stream, long revision, Instant recordedAt) {}
