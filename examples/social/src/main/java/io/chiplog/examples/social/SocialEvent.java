package io.chiplog.examples.social;

import io.chiplog.model.Tagged;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The events of the social graph. Each names its own tags ({@link Tagged}), which the DCB
 * queries select on: {@code user:<id>} for a user, and {@code friendship:<lo>+<hi>} for the
 * unordered pair, so that "befriend u1 u2" and "befriend u2 u1" guard the same boundary.
 *
 * <p>User ids are 1 to 64 characters of {@code [A-Za-z0-9_-]}; the events check it, so the
 * {@code +} in a pair's tag can never be part of an id and no two pairs share a tag.
 */
public sealed interface SocialEvent extends Tagged {

  /** The rule for user ids. */
  Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The tag of a user's events. */
  static String userTag(String userId) {
    return "user:" + userId;
  }

  /** The tag of the events of the pair {@code a}, {@code b}, whichever order they come in. */
  static String friendshipTag(String a, String b) {
    return a.compareTo(b) <= 0 ? "friendship:" + a + "+" + b : "friendship:" + b + "+" + a;
  }

  /**
   * A user joined.
   *
   * @param userId their id, unique
   * @param name their display name
   */
  record UserRegistered(String userId, String name) implements SocialEvent {
    /** Checks the values. */
    public UserRegistered {
      requireUserId(userId, "userId");
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
    }

    @Override
    public Set<String> tags() {
      return Set.of(userTag(userId));
    }
  }

  /**
   * Two users became friends; friendship goes both ways.
   *
   * @param a who asked
   * @param b who was befriended
   */
  record FriendshipAdded(String a, String b) implements SocialEvent {
    /** Checks the values. */
    public FriendshipAdded {
      requirePair(a, b);
    }

    @Override
    public Set<String> tags() {
      return Set.of(userTag(a), userTag(b), friendshipTag(a, b));
    }
  }

  /**
   * Two friends stopped being friends.
   *
   * @param a who asked
   * @param b the other
   */
  record FriendshipRemoved(String a, String b) implements SocialEvent {
    /** Checks the values. */
    public FriendshipRemoved {
      requirePair(a, b);
    }

    @Override
    public Set<String> tags() {
      return Set.of(userTag(a), userTag(b), friendshipTag(a, b));
    }
  }

  private static void requirePair(@Nullable String a, @Nullable String b) {
    requireUserId(a, "a");
    requireUserId(b, "b");
    if (a.equals(b)) {
      throw new IllegalArgumentException("a friendship needs two users, got " + a + " twice");
    }
  }

  private static void requireUserId(@Nullable String userId, String field) {
    if (userId == null || !USER_ID.matcher(userId).matches()) {
      throw new IllegalArgumentException(field + " must be 1 to 64 characters of [A-Za-z0-9_-], was " + userId);
    }
  }
}
