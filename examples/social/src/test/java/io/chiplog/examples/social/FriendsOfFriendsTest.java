package io.chiplog.examples.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.model.ModelOptions;
import io.chiplog.views.InMemoryViewStore;
import io.chiplog.views.ViewOptions;
import io.chiplog.views.ViewReader;
import io.chiplog.views.Views;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The incremental views against a from-scratch computation: random friendships made and ended
 * through the real decisions, the real view runner applying them, and after every few
 * operations each user's friends, friends of friends (by breadth-first search) and mutual-friend
 * counts compared with {@link FriendGraph}. A failure names its seed; {@code -Dchiplog.seed=N}
 * runs that one alone, {@code -Dchiplog.seeds=N} runs seeds 1..N.
 */
class FriendsOfFriendsTest {
  private static final int USERS = 30;
  private static final int OPERATIONS = 400;
  private static final int CHECK_EVERY = 5;
  private static final Duration WAIT = Duration.ofSeconds(10);

  static LongStream seeds() {
    String one = System.getProperty("chiplog.seed");
    return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.rangeClosed(1, Integer.getInteger("chiplog.seeds", 8));
  }

  private static ViewOptions options(int batchSizeMax) {
    return ViewOptions.defaults().withBatchSizeMax(batchSizeMax).withReadWait(WAIT);
  }

  private static Views start(InMemoryEventStore events, ViewOptions options) {
    return Views.builder(events, new InMemoryViewStore()).options(options).meterRegistry(new SimpleMeterRegistry())
        .add(FriendsView.VIEW).add(FriendsOfFriendsView.VIEW).start();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theViewsAgreeWithABreadthFirstSearchAfterEveryFewOperations(long seed) throws Exception {
    var random = new Random(seed);
    try (var events = InMemoryEventStore.create();
        var views = start(events, options(1 + random.nextInt(20)))) {
      var social = new Social(events, views, ModelOptions.defaults());
      var graph = new FriendGraph();
      long last = 0;
      for (int i = 0; i < USERS; i++) {
        last = written(social.register(user(i), "User " + i)).position();
        graph.register(user(i));
      }
      FriendGraph halfway = null;
      long halfwayPosition = 0;
      for (int step = 1; step <= OPERATIONS; step++) {
        last = Math.max(last, operate(social, graph, random, "seed " + seed + " step " + step));
        if (step % CHECK_EVERY == 0) {
          check(social, views, graph, last, "seed " + seed + " after step " + step);
        }
        if (step == OPERATIONS / 2) {
          halfway = graph.copy();
          halfwayPosition = last;
        }
      }
      assertThat(graph.edges()).as("seed %d: the graph is neither empty nor complete", seed).hasSizeBetween(20, 300);

      // The same log folded afresh in big batches, and up to the halfway point only, agrees too.
      try (var rebuilt = start(events, options(2_000))) {
        check(new Social(events, rebuilt, ModelOptions.defaults()), rebuilt, graph, last, "seed " + seed + " rebuilt");
      }
      assertThat(halfway).isNotNull();
      ViewReader<Neighbourhood> past = Views.buildAt(events, FriendsOfFriendsView.VIEW, halfwayPosition,
          new InMemoryViewStore(), options(100));
      for (int i = 0; i < USERS; i++) {
        Neighbourhood then = past.get(user(i));
        assertThat(then).isNotNull();
        assertThat(then.friendsOfFriends()).as("seed %d halfway, %s", seed, user(i)).isEqualTo(halfway.atDistanceTwo(user(i)));
      }
    }
  }

  /**
   * One random command, checked against the model: mostly befriending a random pair or ending a
   * random existing friendship, sometimes a command the rules must refuse. Returns the position
   * written, or 0.
   */
  private static long operate(Social social, FriendGraph graph, Random random, String where) {
    int dice = random.nextInt(100);
    List<List<String>> edges = graph.edges();
    if (dice < 35 && !edges.isEmpty()) {
      List<String> edge = edges.get(random.nextInt(edges.size()));
      boolean flip = random.nextBoolean();
      String a = edge.get(flip ? 1 : 0);
      String b = edge.get(flip ? 0 : 1);
      graph.unfriend(a, b);
      return written(social.unfriend(a, b)).position();
    }
    String a = user(random.nextInt(USERS));
    String b = user(random.nextInt(USERS));
    boolean befriend = dice < 90;
    Answer<Social.Written> answer = befriend ? social.befriend(a, b) : social.unfriend(a, b);
    if (a.equals(b)) {
      assertThat(answer).as(where).isInstanceOf(Answer.Invalid.class);
      return 0;
    }
    if (befriend == graph.friends(a, b)) {
      assertThat(answer).as(where + ": %s %s %s", befriend ? "befriend" : "unfriend", a, b).isInstanceOf(Answer.Refused.class);
      return 0;
    }
    if (befriend) {
      graph.befriend(a, b);
    } else {
      graph.unfriend(a, b);
    }
    return written(answer).position();
  }

  private static void check(Social social, Views views, FriendGraph graph, long position, String where) {
    ViewReader<Neighbourhood> neighbourhoods = views.reader(FriendsOfFriendsView.VIEW);
    for (int i = 0; i < USERS; i++) {
      String user = user(i);
      Social.Read friends = read(social.friendsOf(user, position));
      Social.Read friendsOfFriends = read(social.friendsOfFriendsOf(user, position));
      assertThat(friends.position()).as(where).isGreaterThanOrEqualTo(position);
      assertThat(friends.userIds()).as("%s: friends of %s", where, user).isEqualTo(graph.friendsOf(user));
      assertThat(friendsOfFriends.userIds()).as("%s: friends of friends of %s", where, user)
          .isEqualTo(graph.atDistanceTwo(user));
      Neighbourhood neighbourhood = neighbourhoods.get(user, position);
      assertThat(neighbourhood).isNotNull();
      assertThat(neighbourhood.mutualFriendCounts()).as("%s: mutual friends of %s", where, user)
          .isEqualTo(graph.mutualFriendCounts(user));
    }
    assertThat(social.friendsOfFriendsOf("nobody", position)).isInstanceOf(Answer.Missing.class);
  }

  @Test
  void aFriendIsNeverAFriendOfAFriendAndACommonFriendKeepsTwoAtDistanceTwo() throws Exception {
    try (var events = InMemoryEventStore.create(); var views = start(events, options(10))) {
      var social = new Social(events, views, ModelOptions.defaults());
      for (String user : List.of("ann", "bob", "cat")) {
        written(social.register(user, user));
      }
      written(social.befriend("ann", "bob"));
      long path = written(social.befriend("bob", "cat")).position();
      assertThat(read(social.friendsOfFriendsOf("ann", path)).userIds()).containsExactly("cat");

      long triangle = written(social.befriend("cat", "ann")).position();
      assertThat(read(social.friendsOfFriendsOf("ann", triangle)).userIds()).isEmpty();

      long apart = written(social.unfriend("ann", "cat")).position();
      assertThat(read(social.friendsOfFriendsOf("ann", apart)).userIds()).containsExactly("cat");
      assertThat(read(social.friendsOfFriendsOf("cat", apart)).userIds()).containsExactly("ann");

      long lonely = written(social.unfriend("bob", "cat")).position();
      assertThat(read(social.friendsOfFriendsOf("ann", lonely)).userIds()).isEmpty();
      assertThat(read(social.friendsOf("cat", lonely)).userIds()).isEmpty();
    }
  }

  private static String user(int index) {
    return "u" + index;
  }

  private static Social.Written written(Answer<Social.Written> answer) {
    assertThat(answer).isInstanceOf(Answer.Done.class);
    return ((Answer.Done<Social.Written>) answer).value();
  }

  private static Social.Read read(Answer<Social.Read> answer) {
    assertThat(answer).isInstanceOf(Answer.Done.class);
    return ((Answer.Done<Social.Read>) answer).value();
  }
}
