package io.chiplog.examples.social;

import static io.chiplog.examples.social.SocialEvent.friendshipTag;
import static io.chiplog.examples.social.SocialEvent.userTag;

import io.chiplog.api.EventStore;
import io.chiplog.model.Commands;
import io.chiplog.model.Decision;
import io.chiplog.model.DecisionContext;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Outcome;
import io.chiplog.views.ViewReader;
import io.chiplog.views.ViewValue;
import io.chiplog.views.Views;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The social graph as a service: runs the decisions of {@link Friendships} through one {@link
 * Commands}, and reads the two views. Thread-safe; one per store.
 *
 * <p>Writes answer the position of their event; a read given that position as {@code
 * minPosition} waits until the view has applied it (read your own writes), or throws {@link
 * io.chiplog.views.ViewNotCaughtUpException} after the views' read wait. Decisions on a pair
 * carry the key {@code friendship:<lo>+<hi>}, and on a user {@code user:<id>}, for the keyed
 * queue when the options turn it on. A command that meets a conflict on every attempt throws
 * the {@link io.chiplog.api.AppendConflictException}; nothing was appended then.
 */
final class Social {
  private final Commands commands;
  private final ViewReader<FriendList> friends;
  private final ViewReader<Neighbourhood> neighbourhoods;

  /** The service over {@code store}, reading {@code views}, which must run both views of this package. */
  Social(EventStore store, Views views, ModelOptions options) {
    this.commands = new Commands(store, options);
    this.friends = views.reader(FriendsView.VIEW);
    this.neighbourhoods = views.reader(FriendsOfFriendsView.VIEW);
  }

  /**
   * A command done: its event and position.
   *
   * @param event the event appended
   * @param position its position, the {@code minPosition} to read it back
   */
  record Written(SocialEvent event, long position) {}

  /**
   * What a view said about a user.
   *
   * @param userIds the friends, or the friends of friends, sorted
   * @param position the view's position: the answer includes every event up to it
   */
  record Read(List<String> userIds, long position) {}

  /** Registers a user; refused when the id is taken. */
  Answer<Written> register(String userId, String name) {
    return decide("register", userTag(userId), context -> Friendships.register(context, userId, name));
  }

  /** Makes two users friends; missing when either is unknown, refused when friends already. */
  Answer<Written> befriend(String a, String b) {
    return decide("befriend", friendshipTag(a, b), context -> Friendships.befriend(context, a, b));
  }

  /** Ends a friendship; missing when either user is unknown, refused when they are not friends. */
  Answer<Written> unfriend(String a, String b) {
    return decide("unfriend", friendshipTag(a, b), context -> Friendships.unfriend(context, a, b));
  }

  /** The user's friends; missing when the view knows no such user. */
  Answer<Read> friendsOf(String userId, @Nullable Long minPosition) {
    return read(friends, userId, minPosition, FriendList::ids);
  }

  /** The users at distance two from the user; missing when the view knows no such user. */
  Answer<Read> friendsOfFriendsOf(String userId, @Nullable Long minPosition) {
    return read(neighbourhoods, userId, minPosition, Neighbourhood::friendsOfFriends);
  }

  private Answer<Written> decide(String name, String key, Function<DecisionContext<SocialEvent>, Answer<SocialEvent>> rules) {
    // A rejection carries only its text, so the rules' own answer (which says whether it was a
    // missing user, a refusal or an invalid request) is kept from the attempt that decided.
    var ruled = new AtomicReference<Answer<SocialEvent>>();
    Outcome<SocialEvent> outcome = commands.decide(name, key, SocialTypes.TYPES, context -> {
      Answer<SocialEvent> answer = rules.apply(context);
      ruled.set(answer);
      return switch (answer) {
        case Answer.Done<SocialEvent> done -> Decision.accept(done.value());
        case Answer.Missing<SocialEvent> missing -> Decision.reject(missing.reason());
        case Answer.Refused<SocialEvent> refused -> Decision.reject(refused.reason());
        case Answer.Invalid<SocialEvent> invalid -> Decision.reject(invalid.reason());
      };
    });
    return switch (outcome) {
      case Outcome.Appended<SocialEvent> appended ->
          new Answer.Done<>(new Written(appended.events().getFirst().event(), appended.lastPosition()));
      case Outcome.Rejected<SocialEvent> rejected -> switch (ruled.get()) {
        case Answer.Missing<SocialEvent> missing -> new Answer.Missing<>(missing.reason());
        case Answer.Refused<SocialEvent> refused -> new Answer.Refused<>(refused.reason());
        case Answer.Invalid<SocialEvent> invalid -> new Answer.Invalid<>(invalid.reason());
        case Answer.Done<SocialEvent> done -> throw new IllegalStateException(
            name + " was rejected (" + rejected.reason() + ") although its rules accepted " + done.value());
      };
    };
  }

  private static <V> Answer<Read> read(ViewReader<V> reader, String userId, @Nullable Long minPosition,
      Function<V, List<String>> userIds) {
    // Waits until the view has applied minPosition (or throws); the answer's position is the
    // view's at the read, so the value includes everything up to it.
    ViewValue<V> read = minPosition != null ? reader.read(userId, minPosition) : reader.read(userId);
    V value = read.value();
    if (value == null) {
      return new Answer.Missing<>("no user " + userId);
    }
    return new Answer.Done<>(new Read(userIds.apply(value), read.position()));
  }
}
