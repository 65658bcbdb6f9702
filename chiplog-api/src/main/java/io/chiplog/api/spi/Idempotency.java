package io.chiplog.api.spi;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ConflictReason;
import java.util.ArrayList;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The idempotent-retry rule of the contract, in one place for every backend: a batch whose ids
 * are all stored, in order, at the consecutive positions of one earlier append of the same size
 * to the same stream is a retry and gets that append's result; a batch that shares only some
 * ids, or the ids of another shape of append, is a conflict. Backends supply two look-ups.
 */
public final class Idempotency {

  /**
   * An append as stored.
   *
   * @param stream its stream, or null
   * @param result what it returned
   */
  public record StoredAppend(@Nullable String stream, AppendResult result) {}

  private Idempotency() {}

  /**
   * The result of the earlier append {@code request} retries, or null when none of its ids is
   * stored.
   *
   * @param positionOfId the position of the event with an id, or a value below 1 when none
   * @param appendStartingAt the append whose first event is at a position, or null when no
   *     append starts there
   * @throws AppendConflictException with {@link ConflictReason.EventIdsAlreadyStored} when some
   *     ids are stored but the batch is not an exact retry
   */
  public static @Nullable AppendResult originalOf(AppendRequest request, ToLongFunction<UUID> positionOfId,
      LongFunction<@Nullable StoredAppend> appendStartingAt) {
    var stored = new ArrayList<UUID>();
    long first = -1;
    boolean consecutive = true;
    for (int i = 0; i < request.size(); i++) {
      UUID id = request.events().get(i).id();
      long position = positionOfId.applyAsLong(id);
      if (position >= 1) {
        if (stored.isEmpty()) {
          first = position;
        }
        consecutive &= position == first + i;
        stored.add(id);
      }
    }
    if (stored.isEmpty()) {
      return null;
    }
    if (stored.size() == request.size() && consecutive) {
      StoredAppend original = appendStartingAt.apply(first);
      if (original != null
          && original.result().eventCount() == request.size()
          && Objects.equals(original.stream(), request.stream())) {
        return original.result();
      }
    }
    throw new AppendConflictException(new ConflictReason.EventIdsAlreadyStored(stored));
  }
}
