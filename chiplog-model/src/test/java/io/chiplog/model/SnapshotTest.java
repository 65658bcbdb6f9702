package io.chiplog.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.EventStore;
import io.chiplog.model.Accounts.Account;
import io.chiplog.model.Accounts.Deposit;
import io.chiplog.model.Accounts.Open;
import io.chiplog.store.FileEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots shorten loads, are versioned by the entity's code, and never replace events. */
class SnapshotTest {
  @TempDir Path directory;
  private EventStore store;
  private FileSnapshotStore snapshots;

  @BeforeEach
  void open() {
    store = FileEventStore.open(directory.resolve("store"));
    snapshots = new FileSnapshotStore(directory.resolve("snapshots"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Commands commands() {
    return new Commands(store, ModelOptions.builder().snapshots(snapshots).build());
  }

  private void fill(Entity<Account, Accounts.AccountCommand, Accounts.AccountEvent> entity, int deposits) {
    var commands = commands();
    commands.handle(entity, new Open("a1", "ann"));
    for (int i = 0; i < deposits; i++) {
      commands.handle(entity, new Deposit("a1", 1));
    }
  }

  @Test
  void aLoadStartsFromTheSnapshotAndReadsOnlyTheNewerEvents() {
    var entity = Accounts.definition().snapshots(1, 10, Account.class).build();
    fill(entity, 24);

    var loaded = commands().load(entity, "account-a1");

    assertThat(loaded.state()).isEqualTo(new Account(true, 24));
    assertThat(loaded.revision()).isEqualTo(24);
    assertThat(loaded.eventsRead()).isLessThan(10);
    assertThat(snapshots.load("account", "account-a1")).get()
        .satisfies(snapshot -> assertThat(snapshot.codeVersion()).isEqualTo(1));
  }

  @Test
  void aSnapshotOfAnotherCodeVersionIsIgnoredAndTheEventsAreFoldedAgain() {
    fill(Accounts.definition().snapshots(1, 5, Account.class).build(), 12);
    // Version 2 of the code folds differently: deposits count double. A version 1 snapshot
    // would give the old answer, so it must not be used.
    var doubled = Accounts.definition()
        .evolve((state, event) -> event instanceof Accounts.Deposited d
            ? new Account(true, state.balance() + 2 * d.amount()) : Accounts.evolve(state, event))
        .snapshots(2, 5, Account.class)
        .build();

    var loaded = commands().load(doubled, "account-a1");

    assertThat(loaded.state()).isEqualTo(new Account(true, 24));
    assertThat(loaded.eventsRead()).isEqualTo(13);
  }

  @Test
  void aDamagedSnapshotFileMeansLoadingFromTheEvents() throws Exception {
    var entity = Accounts.definition().snapshots(1, 5, Account.class).build();
    fill(entity, 7);
    try (var files = Files.list(directory.resolve("snapshots"))) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        bytes[bytes.length - 1] ^= 0x5a;
        Files.write(file, bytes);
      }
    }

    var loaded = commands().load(entity, "account-a1");

    assertThat(loaded.state().balance()).isEqualTo(7);
  }

  @Test
  void aSnapshotOfAnotherStoreIsIgnored() {
    var entity = Accounts.definition().snapshots(1, 5, Account.class).build();
    fill(entity, 12);
    // Another store, sharing the snapshot directory, has its own account-a1.
    try (var other = FileEventStore.open(directory.resolve("other"))) {
      var commands = new Commands(other, ModelOptions.builder().snapshots(snapshots).build());
      commands.handle(entity, new Open("a1", "bob"));
      commands.handle(entity, new Deposit("a1", 100));
      commands.handle(entity, new Deposit("a1", 100));

      var loaded = commands.load(entity, "account-a1");

      assertThat(loaded.state()).isEqualTo(new Account(true, 200));
    }
  }

  @Test
  void aSnapshotThatCannotBeSavedDoesNotFailTheCommandItFollows() {
    var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    SnapshotStore broken = new SnapshotStore() {
      @Override
      public java.util.Optional<Snapshot> load(String entity, String stream) {
        return java.util.Optional.empty();
      }

      @Override
      public void save(Snapshot snapshot) {
        throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
      }
    };
    var entity = Accounts.definition().snapshots(1, 1, Account.class).build();
    var commands = new Commands(store, ModelOptions.builder().snapshots(broken).meters(meters).build());

    assertThat(commands.handle(entity, new Open("a1", "ann")).isAppended()).isTrue();
    assertThat(commands.handle(entity, new Deposit("a1", 3)).isAppended()).isTrue();
    assertThat(meters.counter("chiplog.model.snapshot.failures", "name", "account").count()).isEqualTo(2);
  }

  @Test
  void aStreamNameTooLongForAFileNameStillGetsItsSnapshot() {
    var entity = Accounts.definition().snapshots(1, 2, Account.class).stream(command -> "s".repeat(250)).build();
    var commands = commands();
    commands.handle(entity, new Open("a1", "ann"));
    commands.handle(entity, new Deposit("a1", 4));

    assertThat(snapshots.load("account", "s".repeat(250))).isPresent();
    assertThat(commands.load(entity, "s".repeat(250)).state()).isEqualTo(new Account(true, 4));
  }

  @Test
  void withoutASnapshotPolicyNothingIsSaved() {
    fill(Accounts.ACCOUNTS, 30);

    assertThat(snapshots.load("account", "account-a1")).isEmpty();
  }
}
