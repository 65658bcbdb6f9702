package io.chiplog.examples.bank;

import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.model.Recorded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the log says about the bank and its transfers, read straight from the store, apart from
 * the engine and the bank: the crash test's oracle. The workflow event types it reads are the
 * stored names that a transfer's history shows.
 */
final class Ledger {
  private static final String STREAM_PREFIX = "workflow-" + TransferWorkflow.NAME + "-";
  private static final String KEY_PREFIX = TransferWorkflow.NAME + ":";

  private Ledger() {}

  /** The ids of the transfers started, in the order they were. */
  static Set<String> started(EventStore store) {
    return transfersWith(store, "WorkflowStarted");
  }

  /** The ids of the transfers started that have not ended. */
  static Set<String> open(EventStore store) {
    Set<String> open = started(store);
    open.removeAll(transfersWith(store, "WorkflowEnded"));
    return open;
  }

  private static Set<String> transfersWith(EventStore store, String type) {
    var ids = new LinkedHashSet<String>();
    try (Stream<RecordedEvent> events = store.read(Query.types(type))) {
      events.map(event -> Objects.requireNonNull(event.stream()))
          .filter(stream -> stream.startsWith(STREAM_PREFIX))
          .forEach(stream -> ids.add(stream.substring(STREAM_PREFIX.length())));
    }
    return ids;
  }

  /** The bank's events in log order, decoded, with their positions. */
  static List<Recorded<BankEvent>> bankEvents(EventStore store) {
    try (Stream<RecordedEvent> events = store.read(Query.types(BankTypes.TYPES.names().toArray(String[]::new)))) {
      return BankTypes.TYPES.decode(events.toList());
    }
  }

  /** The positions of the events of transfer {@code id}'s stream: its transitions, in order. */
  static List<Long> transitions(EventStore store, String id) {
    try (Stream<RecordedEvent> events = store.readStream(STREAM_PREFIX + id, ReadOptions.forwards())) {
      return events.map(RecordedEvent::position).toList();
    }
  }

  /**
   * The withdrawals, deposits and refunds a transfer's steps made, and the positions of all of
   * them.
   */
  record Operations(List<BankEvent.Withdrawn> withdrawals, List<BankEvent.Deposited> deposits,
      List<BankEvent.Deposited> refunds, List<Long> positions, List<Long> refundPositions) {
    static Operations none() {
      return new Operations(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  /**
   * The operations of the transfers, by transfer id: each step's operation key is its idempotency
   * key, {@code transfer:<id>:<step>:<revision>}. The test's ids hold no colon.
   */
  static Map<String, Operations> operationsByTransfer(List<Recorded<BankEvent>> events) {
    var byTransfer = new HashMap<String, Operations>();
    for (Recorded<BankEvent> recorded : events) {
      BankEvent event = recorded.event();
      String key = switch (event) {
        case BankEvent.Withdrawn w -> w.operation();
        case BankEvent.Deposited d -> d.operation();
        case BankEvent.AccountOpened o -> null;
        case BankEvent.AccountClosed c -> null;
      };
      if (key == null || !key.startsWith(KEY_PREFIX)) {
        continue;
      }
      String id = key.substring(KEY_PREFIX.length(), key.indexOf(':', KEY_PREFIX.length()));
      Operations operations = byTransfer.computeIfAbsent(id, none -> Operations.none());
      operations.positions().add(recorded.position());
      switch (event) {
        case BankEvent.Withdrawn w -> operations.withdrawals().add(w);
        case BankEvent.Deposited d when d.refund() -> {
          operations.refunds().add(d);
          operations.refundPositions().add(recorded.position());
        }
        case BankEvent.Deposited d -> operations.deposits().add(d);
        case BankEvent.AccountOpened o -> { }
        case BankEvent.AccountClosed c -> { }
      }
    }
    return byTransfer;
  }
}
