package io.chiplog.views;

import java.time.Instant;
import java.util.UUID;

/**
 * Why a view stopped: the event whose fold kept failing, and the error. The view's position is
 * just before {@code position}; nothing at or after it was applied.
 *
 * @param position the event's position
 * @param eventId the event's id
 * @param eventType the event's type
 * @param error the last error, class and message
 * @param attempts how many times the event was tried
 * @param failedAt when the view stopped
 */
public record ViewFailure(long position, UUID eventId, String eventType, String error, int attempts, Instant failedAt) {}
