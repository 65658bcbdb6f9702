package io.chiplog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.model.Accounts.Account;
import io.chiplog.model.Accounts.Deposit;
import io.chiplog.model.Accounts.Deposited;
import io.chiplog.model.Accounts.Open;
import io.chiplog.model.Accounts.Opened;
import io.chiplog.model.Accounts.Withdraw;
import io.chiplog.store.FileEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entity commands on the embedded store: decide, append with the revision read, retry. */
class EntityTest {
  @TempDir Path directory;
  private EventStore store;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void open() {
    store = FileEventStore.open(directory);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aCommandAppendsItsEventsToTheEntitysStreamAndReturnsTheirPositions() {
    var commands = new Commands(store);

    var opened = commands.handle(Accounts.ACCOUNTS, new Open("a1", "ann"));
    var deposited = commands.handle(Accounts.ACCOUNTS, new Deposit("a1", 50));

    var first = (Outcome.Appended<Accounts.AccountEvent>) opened;
    var second = (Outcome.Appended<Accounts.AccountEvent>) deposited;
    assertThat(first.events()).hasSize(1);
    assertThat(first.lastPosition()).isEqualTo(1);
    Recorded<Accounts.AccountEvent> deposit = second.events().getFirst();
    assertThat(deposit.event()).isEqualTo(new Deposited("a1", 50));
    assertThat(deposit.position()).isEqualTo(2);
    assertThat(deposit.stream()).isEqualTo("account-a1");
    assertThat(deposit.revision()).isEqualTo(1);
    assertThat(commands.load(Accounts.ACCOUNTS, "account-a1").state()).isEqualTo(new Account(true, 50));
  }

  @Test
  void aRejectionIsAnAnswerAndWritesNothing() {
    var commands = new Commands(store);
    commands.handle(Accounts.ACCOUNTS, new Open("a1", "ann"));

    var overdraft = commands.handle(Accounts.ACCOUNTS, new Withdraw("a1", 10));

    assertThat(overdraft).isInstanceOfSatisfying(Outcome.Rejected.class,
        rejected -> assertThat(rejected.reason()).contains("overdraft"));
    assertThat(store.head()).isEqualTo(1);
  }

  @Test
  void racingCommandsOnOneStreamAreRetriedUntilEachIsDecidedOnTheLatestState() throws Exception {
    var commands = new Commands(store, ModelOptions.builder().meters(meters).attemptsMax(200)
        .backoff(Duration.ofNanos(1000), Duration.ofMillis(2)).build());
    commands.handle(Accounts.ACCOUNTS, new Open("a1", "ann"));
    int threads = 16;
    int each = 25;
    var start = new CountDownLatch(1);
    var workers = new ArrayList<Thread>();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().start(() -> {
        awaitQuietly(start);
        for (int i = 0; i < each; i++) {
          assertThat(commands.handle(Accounts.ACCOUNTS, new Deposit("a1", 1)).isAppended()).isTrue();
        }
      }));
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    var loaded = commands.load(Accounts.ACCOUNTS, "account-a1");
    assertThat(loaded.state().balance()).isEqualTo(threads * each);
    assertThat(loaded.revision()).isEqualTo(threads * each);
    assertThat(meters.counter("chiplog.model.commands", "name", "account", "outcome", "appended").count())
        .isEqualTo(threads * each + 1);
  }

  @Test
  void aCommandThatConflictsOnEveryAttemptFailsWithTheConflict() {
    // Another writer appends to the stream between every read and append.
    var interfering = new InterferingStore(store);
    var commands = new Commands(interfering, ModelOptions.builder().attemptsMax(3).meters(meters)
        .backoff(Duration.ofNanos(1000), Duration.ofNanos(1000)).build());
    commands.handle(Accounts.ACCOUNTS, new Open("a1", "ann"));
    interfering.beforeAppend = () -> store.append(AppendRequest.of(Accounts.TYPES.encode(new Deposited("a1", 1)))
        .toStream("account-a1", ExpectedRevision.any()));

    assertThatThrownBy(() -> commands.handle(Accounts.ACCOUNTS, new Deposit("a1", 5)))
        .isInstanceOf(AppendConflictException.class);
    assertThat(meters.counter("chiplog.model.conflicts", "name", "account").count()).isEqualTo(3);
    assertThat(meters.counter("chiplog.model.commands", "name", "account", "outcome", "conflict").count()).isEqualTo(1);
  }

  @Test
  void theContextSuppliesTimeAndIdsToDecideNotToEvolve() {
    var fixed = java.time.Instant.parse("2026-05-01T10:00:00Z");
    var entity = Accounts.definition()
        .decide((state, command, context) -> Decision.accept(new Opened(context.newId().toString(), context.now().toString())))
        .build();
    var commands = new Commands(store, ModelOptions.builder().clock(java.time.InstantSource.fixed(fixed))
        .random(new java.util.Random(7)).build());

    var outcome = (Outcome.Appended<Accounts.AccountEvent>) commands.handle(entity, new Open("a9", "x"));

    Opened opened = (Opened) outcome.events().getFirst().event();
    assertThat(opened.owner()).isEqualTo("2026-05-01T10:00:00Z");
    assertThat(java.util.UUID.fromString(opened.account()).version()).isEqualTo(4);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
