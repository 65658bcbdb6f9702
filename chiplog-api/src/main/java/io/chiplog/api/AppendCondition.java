package io.chiplog.api;

/**
 * A Dynamic Consistency Boundary check: the append fails with a conflict if any stored event
 * with a position greater than {@code after} matches {@code failIfEventsMatch}.
 *
 * <p>A decision reads the events matching its query, remembers the last position it read, and
 * appends with that query and position; if someone else appended a matching event meanwhile, the
 * append is refused and the decision runs again on the newer facts.
 *
 * <pre>{@code
 * var boundary = Query.of(QueryItem.types("BookAdded").withTags("category:fiction"));
 * AppendCondition.failIfEventsMatch(boundary).after(lastPositionRead)
 * }</pre>
 *
 * @param failIfEventsMatch the boundary's query
 * @param after the last position the decision saw; 0 checks every stored event
 */
public record AppendCondition(Query failIfEventsMatch, long after) {

  /** Checks the position. */
  public AppendCondition {
    if (failIfEventsMatch == null) {
      throw new InvalidEventException("condition.failIfEventsMatch", "must not be null");
    }
    if (after < 0) {
      throw new InvalidEventException("condition.after", "must be 0 or more, was " + after);
    }
  }

  /** A condition over every stored event; narrow it with {@link #after(long)}. */
  public static AppendCondition failIfEventsMatch(Query query) {
    return new AppendCondition(query, 0);
  }

  /** This condition checking only events after {@code position}. */
  public AppendCondition after(long position) {
    return new AppendCondition(failIfEventsMatch, position);
  }
}
