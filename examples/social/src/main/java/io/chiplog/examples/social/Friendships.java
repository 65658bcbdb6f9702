package io.chiplog.examples.social;

import static io.chiplog.examples.social.SocialEvent.friendshipTag;
import static io.chiplog.examples.social.SocialEvent.userTag;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.examples.social.SocialEvent.FriendshipAdded;
import io.chiplog.examples.social.SocialEvent.FriendshipRemoved;
import io.chiplog.examples.social.SocialEvent.UserRegistered;
import io.chiplog.model.DecisionContext;
import io.chiplog.model.Projection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the graph as DCB decisions over small projections. A decision's consistency
 * boundary is the union of the queries it read: "befriend u1 u2" reads both users'
 * registrations and the pair's friendship events, so two requests befriending the same pair at
 * once cannot both succeed, while a friendship of another pair never disturbs them.
 *
 * <p>The rules answer an {@link Answer} rather than a {@code Decision}, because the caller must
 * know <em>why</em> one was refused (an unknown user is a 404, friends already a 409) and a
 * rejection carries only its text; {@link Social} turns the answer into the decision.
 * Pure functions of what they read; thread-safe.
 */
final class Friendships {
  private Friendships() {}

  /** Whether the user registered. Users are never removed, so only the newest event matters. */
  static Projection<Boolean, SocialEvent> registered(String userId) {
    return Projection.last("registered",
        Query.of(QueryItem.types("UserRegistered").withTags(userTag(userId))),
        false, (registered, event) -> true);
  }

  /** Whether the two are friends: the newest of the pair's friendship events says. */
  static Projection<Boolean, SocialEvent> friends(String a, String b) {
    return Projection.last("friends",
        Query.of(QueryItem.types("FriendshipAdded", "FriendshipRemoved").withTags(friendshipTag(a, b))),
        false, (friends, event) -> switch (event) {
          case FriendshipAdded added -> true;
          case FriendshipRemoved removed -> false;
          case UserRegistered registered -> friends;
        });
  }

  /** Registers the user, unless the id is taken. */
  static Answer<SocialEvent> register(DecisionContext<SocialEvent> context, String userId, String name) {
    if (context.read(registered(userId))) {
      return new Answer.Refused<>("user " + userId + " exists");
    }
    return new Answer.Done<>(new UserRegistered(userId, name));
  }

  /** Makes {@code a} and {@code b} friends: both exist, they are two, and not friends yet. */
  static Answer<SocialEvent> befriend(DecisionContext<SocialEvent> context, String a, String b) {
    if (a.equals(b)) {
      return new Answer.Invalid<>("a user cannot befriend themselves: " + a);
    }
    var pair = Pair.read(context, a, b);
    if (pair.unknownUser() != null) {
      return new Answer.Missing<>("no user " + pair.unknownUser());
    }
    if (pair.friends()) {
      return new Answer.Refused<>(a + " and " + b + " are friends already");
    }
    return new Answer.Done<>(new FriendshipAdded(a, b));
  }

  /** Ends the friendship of {@code a} and {@code b}: both exist and are friends. */
  static Answer<SocialEvent> unfriend(DecisionContext<SocialEvent> context, String a, String b) {
    if (a.equals(b)) {
      return new Answer.Invalid<>("a user is never their own friend: " + a);
    }
    var pair = Pair.read(context, a, b);
    if (pair.unknownUser() != null) {
      return new Answer.Missing<>("no user " + pair.unknownUser());
    }
    if (!pair.friends()) {
      return new Answer.Refused<>(a + " and " + b + " are not friends");
    }
    return new Answer.Done<>(new FriendshipRemoved(a, b));
  }

  /**
   * What a friendship decision knows, from one read of three projections.
   *
   * @param unknownUser the first of the two users that is not registered, or null
   * @param friends whether they are friends now
   */
  private record Pair(@Nullable String unknownUser, boolean friends) {

    static Pair read(DecisionContext<SocialEvent> context, String a, String b) {
      var aExists = registered(a);
      var bExists = registered(b);
      var friendship = Friendships.friends(a, b);
      // One read for all three: a second read would widen the boundary from a later position.
      var states = context.readAll(List.of(aExists, bExists, friendship));
      String unknown = !states.get(aExists) ? a : !states.get(bExists) ? b : null;
      return new Pair(unknown, states.get(friendship));
    }
  }
}
