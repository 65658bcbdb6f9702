package io.chiplog.examples.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.Query;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.model.ModelOptions;
import io.chiplog.views.InMemoryViewStore;
import io.chiplog.views.ViewOptions;
import io.chiplog.views.Views;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rules of the graph, through the service: what is done, missing, refused or invalid. */
class SocialTest {
  private final InMemoryEventStore events = InMemoryEventStore.create();
  private final Views views = Views.builder(events, new InMemoryViewStore())
      .options(ViewOptions.defaults().withReadWait(Duration.ofSeconds(10))).meterRegistry(new SimpleMeterRegistry())
      .add(FriendsView.VIEW).add(FriendsOfFriendsView.VIEW).start();
  private final Social social = new Social(events, views, ModelOptions.defaults());

  @AfterEach
  void close() {
    views.close();
    events.close();
  }

  @Test
  void aUserRegistersOnce() {
    Answer<Social.Written> first = social.register("ann", "Ann");
    Answer<Social.Written> again = social.register("ann", "Annie");

    assertThat(first).isEqualTo(new Answer.Done<>(new Social.Written(new SocialEvent.UserRegistered("ann", "Ann"), 1)));
    assertThat(again).isEqualTo(new Answer.Refused<>("user ann exists"));
  }

  @Test
  void onlyRegisteredUsersBefriendOrUnfriend() {
    social.register("ann", "Ann");

    assertThat(social.befriend("ann", "bob")).isEqualTo(new Answer.Missing<>("no user bob"));
    assertThat(social.befriend("bob", "ann")).isEqualTo(new Answer.Missing<>("no user bob"));
    assertThat(social.unfriend("ann", "bob")).isEqualTo(new Answer.Missing<>("no user bob"));
    assertThat(events.head()).isEqualTo(1);
  }

  @Test
  void nobodyBefriendsThemselves() {
    social.register("ann", "Ann");

    assertThat(social.befriend("ann", "ann")).isEqualTo(new Answer.Invalid<>("a user cannot befriend themselves: ann"));
    assertThat(social.unfriend("ann", "ann")).isEqualTo(new Answer.Invalid<>("a user is never their own friend: ann"));
  }

  @Test
  void twoUsersAreFriendsOnceWhicheverOfThemAsks() {
    social.register("ann", "Ann");
    social.register("bob", "Bob");

    Answer<Social.Written> made = social.befriend("ann", "bob");
    Answer<Social.Written> again = social.befriend("bob", "ann");

    assertThat(made).isEqualTo(new Answer.Done<>(new Social.Written(new SocialEvent.FriendshipAdded("ann", "bob"), 3)));
    assertThat(again).isEqualTo(new Answer.Refused<>("bob and ann are friends already"));
  }

  @Test
  void onlyFriendsUnfriendAndThenMayBefriendAgain() {
    social.register("ann", "Ann");
    social.register("bob", "Bob");

    Answer<Social.Written> notYet = social.unfriend("ann", "bob");
    social.befriend("ann", "bob");
    Answer<Social.Written> ended = social.unfriend("bob", "ann");
    Answer<Social.Written> again = social.befriend("bob", "ann");

    assertThat(notYet).isEqualTo(new Answer.Refused<>("ann and bob are not friends"));
    assertThat(ended).isEqualTo(new Answer.Done<>(new Social.Written(new SocialEvent.FriendshipRemoved("bob", "ann"), 4)));
    assertThat(again).isInstanceOf(Answer.Done.class);
  }

  @Test
  void aReadWithTheWritesPositionSeesTheWrite() {
    social.register("ann", "Ann");
    social.register("bob", "Bob");
    long position = ((Answer.Done<Social.Written>) social.befriend("ann", "bob")).value().position();

    Answer<Social.Read> friends = social.friendsOf("bob", position);

    assertThat(friends).isInstanceOfSatisfying(Answer.Done.class, done -> {
      var read = (Social.Read) done.value();
      assertThat(read.userIds()).containsExactly("ann");
      assertThat(read.position()).isGreaterThanOrEqualTo(position);
    });
    assertThat(social.friendsOf("cat", position)).isEqualTo(new Answer.Missing<>("no user cat"));
  }

  /**
   * Many requests befriend one pair at once, half of them in each order: the pair's tag is the
   * same either way, so exactly one succeeds and the log holds one {@code FriendshipAdded}.
   */
  @Test
  void racingRequestsBefriendAPairOnce() throws Exception {
    social.register("ann", "Ann");
    social.register("bob", "Bob");
    int threads = 16;
    var ready = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    var answers = new ArrayList<Future<Answer<Social.Written>>>();
    for (int t = 0; t < threads; t++) {
      boolean annAsks = t % 2 == 0;
      answers.add(pool.submit(() -> {
        ready.countDown();
        ready.await();
        return annAsks ? social.befriend("ann", "bob") : social.befriend("bob", "ann");
      }));
    }
    var done = new ArrayList<Answer<Social.Written>>();
    for (Future<Answer<Social.Written>> answer : answers) {
      done.add(answer.get(1, TimeUnit.MINUTES));
    }
    pool.shutdown();

    assertThat(done).filteredOn(Answer.Done.class::isInstance).hasSize(1);
    assertThat(done).filteredOn(Answer.Refused.class::isInstance).hasSize(threads - 1);
    List<String> types = events.read(Query.all()).map(event -> event.type()).toList();
    assertThat(types).containsExactly("UserRegistered", "UserRegistered", "FriendshipAdded");
  }
}
