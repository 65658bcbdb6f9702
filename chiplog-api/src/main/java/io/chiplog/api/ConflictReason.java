package io.chiplog.api;

import java.util.List;
import java.util.UUID;

/**
 * Why an append was refused as a conflict. A sealed type, so callers (and the HTTP layer) can
 * switch over every reason exhaustively.
 */
public sealed interface ConflictReason {

  /** A short, human message for logs and error bodies. */
  String describe();

  /**
   * The stream's last revision did not satisfy the expected revision.
   *
   * @param stream the stream the append targeted
   * @param expected what the append required
   * @param actual the stream's last revision, or {@link RecordedEvent#NO_REVISION} when the
   *     stream does not exist
   */
  record RevisionMismatch(String stream, ExpectedRevision expected, long actual)
      implements ConflictReason {
    @Override
    public String describe() {
      String found = actual == RecordedEvent.NO_REVISION ? "no stream" : "revision " + actual;
      return "stream '" + stream + "' expected " + expected + " but found " + found;
    }
  }

  /**
   * An event matching the condition's query was stored after the condition's position.
   *
   * @param query the condition's query
   * @param after the condition's position
   * @param firstMatch the lowest position after {@code after} of an event matching {@code query}
   */
  record ConditionMatched(Query query, long after, long firstMatch) implements ConflictReason {
    @Override
    public String describe() {
      return "an event matching " + query + " exists after position " + after + " (at "
          + firstMatch + ")";
    }
  }

  /**
   * Some of the batch's event ids are already stored, but the batch is not an exact retry of one
   * earlier append (not all ids, another order, another stream, or spread over several appends).
   *
   * @param storedIds the batch's ids that are already stored
   */
  record EventIdsAlreadyStored(List<UUID> storedIds) implements ConflictReason {
    /** Copies the ids. */
    public EventIdsAlreadyStored {
      storedIds = List.copyOf(storedIds);
    }

    @Override
    public String describe() {
      return storedIds.size() + " of the batch's event ids are already stored by another append"
          + " (first: " + storedIds.getFirst() + "); only an exact retry of one append is"
          + " idempotent";
    }
  }
}
