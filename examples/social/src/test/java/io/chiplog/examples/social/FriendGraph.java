package io.chiplog.examples.social;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The test's model of the graph: plain adjacency sets, and the answers computed from scratch by
 * breadth-first search, to hold the incremental views against. Not thread-safe.
 */
final class FriendGraph {
  private final Map<String, Set<String>> adjacent = new HashMap<>();

  FriendGraph copy() {
    var copy = new FriendGraph();
    adjacent.forEach((user, friends) -> copy.adjacent.put(user, new HashSet<>(friends)));
    return copy;
  }

  void register(String user) {
    adjacent.putIfAbsent(user, new HashSet<>());
  }

  boolean exists(String user) {
    return adjacent.containsKey(user);
  }

  boolean friends(String a, String b) {
    return adjacent.getOrDefault(a, Set.of()).contains(b);
  }

  void befriend(String a, String b) {
    adjacent.get(a).add(b);
    adjacent.get(b).add(a);
  }

  void unfriend(String a, String b) {
    adjacent.get(a).remove(b);
    adjacent.get(b).remove(a);
  }

  /** Every edge once, as {@code [a, b]} with a before b. */
  List<List<String>> edges() {
    var edges = new ArrayList<List<String>>();
    adjacent.forEach((a, friends) -> friends.stream().filter(b -> a.compareTo(b) < 0).sorted()
        .forEach(b -> edges.add(List.of(a, b))));
    edges.sort((x, y) -> (x.get(0) + "+" + x.get(1)).compareTo(y.get(0) + "+" + y.get(1)));
    return edges;
  }

  List<String> friendsOf(String user) {
    return List.copyOf(new TreeSet<>(adjacent.get(user)));
  }

  /** The users whose shortest path from {@code user} has exactly two edges, by BFS. */
  List<String> atDistanceTwo(String user) {
    var distance = new HashMap<String, Integer>();
    var queue = new ArrayDeque<String>();
    distance.put(user, 0);
    queue.add(user);
    while (!queue.isEmpty()) {
      String next = queue.poll();
      int d = distance.get(next);
      if (d == 2) {
        continue; // nothing further can be at distance two
      }
      for (String friend : adjacent.get(next)) {
        if (!distance.containsKey(friend)) {
          distance.put(friend, d + 1);
          queue.add(friend);
        }
      }
    }
    var two = new TreeSet<String>();
    distance.forEach((other, d) -> {
      if (d == 2) {
        two.add(other);
      }
    });
    return List.copyOf(two);
  }

  /** For each other user with a friend in common with {@code user}, how many. */
  Map<String, Integer> mutualFriendCounts(String user) {
    var counts = new HashMap<String, Integer>();
    for (String other : adjacent.keySet()) {
      if (other.equals(user)) {
        continue;
      }
      var common = new HashSet<>(adjacent.get(user));
      common.retainAll(adjacent.get(other));
      if (!common.isEmpty()) {
        counts.put(other, common.size());
      }
    }
    return counts;
  }
}
