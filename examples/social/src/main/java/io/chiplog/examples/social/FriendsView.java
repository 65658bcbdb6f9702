package io.chiplog.examples.social;

import io.chiplog.examples.social.SocialEvent.FriendshipAdded;
import io.chiplog.examples.social.SocialEvent.FriendshipRemoved;
import io.chiplog.examples.social.SocialEvent.UserRegistered;
import io.chiplog.model.Recorded;
import io.chiplog.views.Changes;
import io.chiplog.views.KeyValueView;
import java.util.function.UnaryOperator;

/**
 * The {@code friends} view: user id → their friends, sorted. A registered user has an entry
 * (perhaps empty), so a missing key means "no such user". Each friendship event changes the two
 * entries of its pair. Stateless; runs on the view's runner thread.
 */
final class FriendsView {
  /** The view, version 1. */
  static final KeyValueView<SocialEvent, FriendList> VIEW =
      KeyValueView.builder("friends", SocialTypes.TYPES, FriendList.class)
          .version(1)
          .apply(FriendsView::apply)
          .build();

  private FriendsView() {}

  static void apply(Recorded<SocialEvent> recorded, Changes<FriendList> changes) {
    switch (recorded.event()) {
      case UserRegistered user -> {
        if (changes.get(user.userId()) == null) {
          changes.put(user.userId(), FriendList.NONE);
        }
      }
      case FriendshipAdded added -> {
        change(changes, added.a(), friends -> friends.with(added.b()));
        change(changes, added.b(), friends -> friends.with(added.a()));
      }
      case FriendshipRemoved removed -> {
        change(changes, removed.a(), friends -> friends.without(removed.b()));
        change(changes, removed.b(), friends -> friends.without(removed.a()));
      }
    }
  }

  private static void change(Changes<FriendList> changes, String userId, UnaryOperator<FriendList> change) {
    FriendList current = changes.get(userId);
    changes.put(userId, change.apply(current == null ? FriendList.NONE : current));
  }
}
