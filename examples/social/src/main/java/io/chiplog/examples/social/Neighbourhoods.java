package io.chiplog.examples.social;

import io.chiplog.views.Changes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The neighbourhoods one friendship event changes, as mutable drafts: loaded from the view's
 * {@link Changes} on first use, changed in place, and put back together by {@link #save}. Each
 * draft keeps its friends-of-friends set true to its counts and friends after every change, so
 * the algorithm in {@link FriendsOfFriendsView} only moves counts and edges.
 *
 * <p>Lives for one event on the view's runner thread; not thread-safe.
 */
final class Neighbourhoods {
  private final Changes<Neighbourhood> changes;
  private final Map<String, Draft> drafts = new HashMap<>();

  Neighbourhoods(Changes<Neighbourhood> changes) {
    this.changes = changes;
  }

  /** The draft of {@code userId}'s neighbourhood; an unknown user starts with none. */
  Draft of(String userId) {
    return drafts.computeIfAbsent(userId, id -> {
      Neighbourhood stored = changes.get(id);
      return new Draft(id, stored == null ? Neighbourhood.NONE : stored);
    });
  }

  /** Adds {@code delta} paths of length two between {@code u} and {@code v}, both ways. */
  void addPaths(String u, String v, int delta) {
    of(u).addPaths(v, delta);
    of(v).addPaths(u, delta);
  }

  /** Puts every draft back into the view's changes. */
  void save() {
    drafts.forEach((userId, draft) -> changes.put(userId, draft.toNeighbourhood()));
  }

  /** One user's neighbourhood being changed. */
  static final class Draft {
    private final String userId;
    private final TreeSet<String> friends;
    private final TreeMap<String, Integer> mutualFriendCounts;
    private final TreeSet<String> friendsOfFriends;

    private Draft(String userId, Neighbourhood stored) {
      this.userId = userId;
      this.friends = new TreeSet<>(stored.friends());
      this.mutualFriendCounts = new TreeMap<>(stored.mutualFriendCounts());
      this.friendsOfFriends = new TreeSet<>(stored.friendsOfFriends());
    }

    boolean isFriendOf(String other) {
      return friends.contains(other);
    }

    /** The friends now, as a copy that stays put while the drafts change. */
    List<String> friendsNow() {
      return List.copyOf(friends);
    }

    /** Makes {@code other} a friend: a friend is never a friend of a friend. */
    void befriend(String other) {
      friends.add(other);
      friendsOfFriends.remove(other);
    }

    /** Ends the friendship: {@code other} stays at distance two if they still share a friend. */
    void unfriend(String other) {
      friends.remove(other);
      settle(other);
    }

    private void addPaths(String other, int delta) {
      int count = mutualFriendCounts.getOrDefault(other, 0) + delta;
      if (count < 0) {
        // A removal the view never saw added: the log and the view disagree, so stop the view here.
        throw new IllegalStateException("the count of mutual friends of " + userId + " and " + other
            + " would become " + count);
      }
      if (count == 0) {
        mutualFriendCounts.remove(other);
      } else {
        mutualFriendCounts.put(other, count);
      }
      settle(other);
    }

    /** Puts {@code other} in or out of the friends of friends by the rule. */
    private void settle(String other) {
      if (mutualFriendCounts.containsKey(other) && !friends.contains(other) && !other.equals(userId)) {
        friendsOfFriends.add(other);
      } else {
        friendsOfFriends.remove(other);
      }
    }

    Neighbourhood toNeighbourhood() {
      return new Neighbourhood(List.copyOf(friends), mutualFriendCounts, List.copyOf(friendsOfFriends));
    }
  }
}
