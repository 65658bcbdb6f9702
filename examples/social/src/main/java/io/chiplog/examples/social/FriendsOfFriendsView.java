package io.chiplog.examples.social;

import io.chiplog.examples.social.Neighbourhoods.Draft;
import io.chiplog.examples.social.SocialEvent.FriendshipAdded;
import io.chiplog.examples.social.SocialEvent.FriendshipRemoved;
import io.chiplog.examples.social.SocialEvent.UserRegistered;
import io.chiplog.model.Recorded;
import io.chiplog.views.Changes;
import io.chiplog.views.KeyValueView;

/**
 * The {@code friends_of_friends} view: user id → {@link Neighbourhood}, whose {@code
 * friendsOfFriends} are the users at distance exactly two. Kept incrementally, so an event costs
 * the degrees of its two users and a read costs one lookup:
 *
 * <ul>
 *   <li>a new edge a–b opens a path x–a–b for every friend x of a, and a–b–y for every friend y
 *       of b: those counts go up by one (both ways), which may bring b to distance two from x and
 *       y to distance two from a. Then a and b become friends, which takes each out of the
 *       other's friends of friends;
 *   <li>a removed edge closes the same paths: the edge goes first, then the counts of the friends
 *       that remain go down, which may take b away from x's friends of friends. Whether a and b
 *       are now at distance two depends on paths that do not use their edge: their own count,
 *       which the removal does not change.
 * </ul>
 *
 * A friendship event the view's state already reflects (added twice, removed when absent) changes
 * nothing, so the counts cannot drift. The decisions never append one, but the log may hold
 * events from elsewhere. A registered user has an entry, so a missing key means "no such user".
 * Stateless; runs on the view's runner thread.
 */
final class FriendsOfFriendsView {
  /** The view, version 1. */
  static final KeyValueView<SocialEvent, Neighbourhood> VIEW =
      KeyValueView.builder("friends_of_friends", SocialTypes.TYPES, Neighbourhood.class)
          .version(1)
          .apply(FriendsOfFriendsView::apply)
          .build();

  private FriendsOfFriendsView() {}

  static void apply(Recorded<SocialEvent> recorded, Changes<Neighbourhood> changes) {
    switch (recorded.event()) {
      case UserRegistered user -> {
        if (changes.get(user.userId()) == null) {
          changes.put(user.userId(), Neighbourhood.NONE);
        }
      }
      case FriendshipAdded added -> {
        var neighbourhoods = new Neighbourhoods(changes);
        if (added(neighbourhoods, added.a(), added.b())) {
          neighbourhoods.save();
        }
      }
      case FriendshipRemoved removed -> {
        var neighbourhoods = new Neighbourhoods(changes);
        if (removed(neighbourhoods, removed.a(), removed.b())) {
          neighbourhoods.save();
        }
      }
    }
  }

  /** Adds the edge a–b; false when it was there. */
  static boolean added(Neighbourhoods neighbourhoods, String a, String b) {
    Draft ofA = neighbourhoods.of(a);
    Draft ofB = neighbourhoods.of(b);
    if (ofA.isFriendOf(b)) {
      return false;
    }
    for (String x : ofA.friendsNow()) {
      neighbourhoods.addPaths(x, b, +1);
    }
    for (String y : ofB.friendsNow()) {
      neighbourhoods.addPaths(a, y, +1);
    }
    ofA.befriend(b);
    ofB.befriend(a);
    return true;
  }

  /** Removes the edge a–b; false when it was not there. */
  static boolean removed(Neighbourhoods neighbourhoods, String a, String b) {
    Draft ofA = neighbourhoods.of(a);
    Draft ofB = neighbourhoods.of(b);
    if (!ofA.isFriendOf(b)) {
      return false;
    }
    ofA.unfriend(b);
    ofB.unfriend(a);
    for (String x : ofA.friendsNow()) {
      neighbourhoods.addPaths(x, b, -1);
    }
    for (String y : ofB.friendsNow()) {
      neighbourhoods.addPaths(a, y, -1);
    }
    return true;
  }
}
