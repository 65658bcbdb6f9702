package io.chiplog.examples.social;

import java.util.List;
import java.util.TreeSet;

/**
 * A user's friends, sorted: the value of the {@code friends} view. Immutable; stored as JSON.
 *
 * @param ids the friends' user ids, sorted and distinct
 */
record FriendList(List<String> ids) {
  /** No friends yet. */
  static final FriendList NONE = new FriendList(List.of());

  /** Sorts and copies the ids. */
  FriendList {
    ids = List.copyOf(new TreeSet<>(ids));
  }

  /** This list with {@code userId} in it. */
  FriendList with(String userId) {
    var more = new TreeSet<>(ids);
    more.add(userId);
    return new FriendList(List.copyOf(more));
  }

  /** This list without {@code userId}. */
  FriendList without(String userId) {
    var fewer = new TreeSet<>(ids);
    fewer.remove(userId);
    return new FriendList(List.copyOf(fewer));
  }
}
