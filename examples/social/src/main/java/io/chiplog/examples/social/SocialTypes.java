package io.chiplog.examples.social;

import io.chiplog.examples.social.SocialEvent.FriendshipAdded;
import io.chiplog.examples.social.SocialEvent.FriendshipRemoved;
import io.chiplog.examples.social.SocialEvent.UserRegistered;
import io.chiplog.model.EventTypes;

/** The social graph's event registry: the stored type names, stable if the classes move. */
final class SocialTypes {
  static final EventTypes<SocialEvent> TYPES = EventTypes.of(SocialEvent.class)
      .add("UserRegistered", UserRegistered.class)
      .add("FriendshipAdded", FriendshipAdded.class)
      .add("FriendshipRemoved", FriendshipRemoved.class)
      .build();

  private SocialTypes() {}
}
