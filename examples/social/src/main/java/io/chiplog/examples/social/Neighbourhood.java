package io.chiplog.examples.social;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A user's neighbourhood: the value of the {@code friends_of_friends} view. It keeps what the
 * view needs to change it incrementally (the friends, and for every other user the number of
 * friends the two have in common) next to the answer readers want, so that a read is one lookup
 * and never a graph walk. Immutable; stored as JSON.
 *
 * @param friends the user's friends, sorted
 * @param mutualFriendCounts for each other user with at least one friend in common with this
 *     one, how many: the number of paths of length two between them. Friends are counted too,
 *     because when a friendship ends the two stay at distance two exactly if this is above zero
 * @param friendsOfFriends the users at distance exactly two, sorted: a count above zero, not a
 *     friend, not the user
 */
record Neighbourhood(List<String> friends, Map<String, Integer> mutualFriendCounts, List<String> friendsOfFriends) {
  /** A user with no friends. */
  static final Neighbourhood NONE = new Neighbourhood(List.of(), Map.of(), List.of());

  /** Sorts and copies. */
  Neighbourhood {
    friends = List.copyOf(new TreeSet<>(friends));
    mutualFriendCounts = Collections.unmodifiableSortedMap(new TreeMap<>(mutualFriendCounts));
    friendsOfFriends = List.copyOf(new TreeSet<>(friendsOfFriends));
  }
}
