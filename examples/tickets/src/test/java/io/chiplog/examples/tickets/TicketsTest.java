package io.chiplog.examples.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.store.FileEventStore;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The box office with its workflows, through the service: holds that expire, payments in time
 * and too late, a hold pending across a restart, and many customers racing for one seat.
 */
class TicketsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration SHORT_HOLD = Duration.ofMillis(300);
  private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");

  @TempDir Path directory;

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
  }

  private Tickets tickets(EventStore store, TicketsOptions options) {
    Tickets tickets = Tickets.start(store, options);
    opened.add(tickets);
    return tickets;
  }

  private Tickets inMemory(TicketsOptions options) {
    var store = InMemoryEventStore.create();
    opened.add(store);
    return tickets(store, options);
  }

  private static <T> T done(Answer<T> answer) {
    assertThat(answer).isInstanceOf(Answer.Done.class);
    return ((Answer.Done<T>) answer).value();
  }

  /**
   * The hold's workflow once it has ended. It is found first: its trigger starts it a moment
   * after the hold, and until then the engine knows no such instance to await.
   */
  private static WorkflowInfo<HoldState> ended(Tickets tickets, String holdId) throws Exception {
    assertThat(tickets.findHold(holdId)).isInstanceOf(Answer.Done.class);
    return tickets.workflows().awaitEnd(tickets.seatHold(), holdId).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<String> history(Tickets tickets, String holdId) {
    return tickets.workflows().history(tickets.seatHold(), holdId).stream().map(RecordedEvent::type).toList();
  }

  private static List<String> holdEvents(EventStore store, String holdId) {
    try (Stream<RecordedEvent> events = store.read(Query.of(QueryItem.tags(TicketEvent.holdTag(holdId))))) {
      return events.map(RecordedEvent::type).toList();
    }
  }

  private static Seat.State seat(Tickets tickets, String show, String seat) {
    return done(tickets.seats(show)).seats().get(seat).state();
  }

  @Test
  void aHoldNotPaidExpiresAndTheSeatIsFreeAgain() throws Exception {
    var store = InMemoryEventStore.create();
    opened.add(store);
    Tickets tickets = tickets(store, TicketsOptions.defaults().withHoldFor(SHORT_HOLD));
    String holdId = done(tickets.hold("gala", "A1", "ann")).event().holdId();

    WorkflowInfo<HoldState> ended = ended(tickets, holdId);

    assertThat(ended.status()).isEqualTo(WorkflowStatus.COMPLETED);
    assertThat(ended.state().outcome()).isEqualTo(HoldState.Outcome.RELEASED);
    assertThat(history(tickets, holdId)).containsOnlyOnce("WorkflowTimerFired").doesNotContain("WorkflowSignalled");
    assertThat(holdEvents(store, holdId)).containsExactly("SeatHeld", "SeatReleased");
    assertThat(seat(tickets, "gala", "A1")).isEqualTo(Seat.State.FREE);
    assertThat(tickets.workflows().pendingTimers()).isZero();
    assertThat(tickets.hold("gala", "A1", "bob")).isInstanceOf(Answer.Done.class);
  }

  @Test
  void aPaymentBeforeTheExpirySellsTheSeatAndCancelsTheTimer() throws Exception {
    var store = InMemoryEventStore.create();
    opened.add(store);
    Tickets tickets = tickets(store, TicketsOptions.defaults());
    String holdId = done(tickets.hold("gala", "A1", "ann")).event().holdId();

    Tickets.Paid paid = done(tickets.pay(holdId));

    assertThat(paid.sold()).isTrue();
    assertThat(paid.hold().outcome()).isEqualTo(HoldState.Outcome.SOLD);
    assertThat(paid.position()).isEqualTo(store.head()); // the SeatSold and the workflow's end, one append
    assertThat(history(tickets, holdId)).containsExactly(
        "WorkflowStarted", "WorkflowStepped", "WorkflowSignalled", "SeatSold", "WorkflowEnded");
    assertThat(tickets.workflows().pendingTimers()).isZero();
    assertThat(holdEvents(store, holdId)).containsExactly("SeatHeld", "SeatSold");
    assertThat(seat(tickets, "gala", "A1")).isEqualTo(Seat.State.SOLD);
    assertThat(tickets.pay(holdId)).isInstanceOfSatisfying(Answer.Refused.class,
        refused -> assertThat(refused.code()).isEqualTo("hold_paid"));
    assertThat(tickets.hold("gala", "A1", "bob")).isInstanceOfSatisfying(Answer.Refused.class,
        refused -> assertThat(refused.code()).isEqualTo("seat_sold"));
  }

  @Test
  void aPaymentAfterTheExpiryIsRefusedAndTheSeatStaysFree() throws Exception {
    var store = InMemoryEventStore.create();
    opened.add(store);
    Tickets tickets = tickets(store, TicketsOptions.defaults().withHoldFor(SHORT_HOLD));
    String holdId = done(tickets.hold("gala", "A1", "ann")).event().holdId();
    ended(tickets, holdId);

    Answer<Tickets.Paid> late = tickets.pay(holdId);

    assertThat(late).isInstanceOfSatisfying(Answer.Refused.class, refused -> {
      assertThat(refused.code()).isEqualTo("hold_expired");
      assertThat(refused.reason()).contains("seat gala/A1 is released");
    });
    assertThat(seat(tickets, "gala", "A1")).isEqualTo(Seat.State.FREE);
    assertThat(holdEvents(store, holdId)).containsExactly("SeatHeld", "SeatReleased");
    assertThat(history(tickets, holdId)).doesNotContain("WorkflowSignalled");
  }

  /** The customer was told when the hold expires: from then on it cannot be paid, timer or not. */
  @Test
  void aPaymentAtTheExpiryIsRefusedEvenBeforeTheTimerHasFired() throws Exception {
    var clock = new ManualClock(T0);
    Tickets tickets = inMemory(TicketsOptions.defaults().withClock(clock));
    String holdId = done(tickets.hold("gala", "A1", "ann")).event().holdId();
    assertThat(done(tickets.findHold(holdId)).status()).isEqualTo(WorkflowStatus.WAITING);

    clock.advance(TicketsOptions.defaults().holdFor());
    Answer<Tickets.Paid> late = tickets.pay(holdId);

    assertThat(late).isInstanceOfSatisfying(Answer.Refused.class,
        refused -> assertThat(refused.code()).isEqualTo("hold_expired"));
    assertThat(done(tickets.findHold(holdId)).status()).isEqualTo(WorkflowStatus.WAITING);
    assertThat(history(tickets, holdId)).doesNotContain("WorkflowSignalled");
  }

  @Test
  void aHoldPendingAcrossARestartIsReleasedOnceAfterIt() throws Exception {
    var clock = new ManualClock(T0);
    var options = TicketsOptions.defaults().withHoldFor(SHORT_HOLD).withClock(clock);
    String holdId;
    try (var store = FileEventStore.open(directory); var first = Tickets.start(store, options)) {
      holdId = done(first.hold("gala", "A1", "ann")).event().holdId();
      WorkflowInfo<HoldState> waiting = done(first.findHold(holdId));
      assertThat(waiting.status()).isEqualTo(WorkflowStatus.WAITING);
      assertThat(waiting.waitingUntil()).isEqualTo(T0.plus(SHORT_HOLD));
      assertThat(first.workflows().pendingTimers()).isEqualTo(1);
    }

    clock.advance(Duration.ofSeconds(1)); // the hold fell due while nothing ran
    long head;
    try (var store = FileEventStore.open(directory); var second = Tickets.start(store, options)) {
      WorkflowInfo<HoldState> ended = ended(second, holdId);

      assertThat(ended.state().outcome()).isEqualTo(HoldState.Outcome.RELEASED);
      assertThat(history(second, holdId)).containsOnlyOnce("WorkflowTimerFired");
      assertThat(holdEvents(store, holdId)).containsExactly("SeatHeld", "SeatReleased");
      assertThat(seat(second, "gala", "A1")).isEqualTo(Seat.State.FREE);
      head = store.head();
    }

    try (var store = FileEventStore.open(directory); var third = Tickets.start(store, options)) {
      assertThat(third.workflows().pendingTimers()).isZero();
      assertThat(store.head()).as("an ended hold is not resumed").isEqualTo(head);
    }
  }

  /** A crash between the SeatHeld and its workflow's start: the trigger catches up, and the hold expires on time. */
  @Test
  void aHoldWhoseWorkflowStartsLateStillExpiresWhenTheCustomerWasTold() throws Exception {
    var clock = new ManualClock(T0);
    var store = InMemoryEventStore.create();
    opened.add(store);
    var held = new SeatHeld("7d0c2b9e-0000-4000-8000-000000000001", "gala", "B2", "cat", 1_000, T0);
    store.append(AppendRequest.of(TicketTypes.TYPES.encode(held)));
    clock.advance(Duration.ofSeconds(5));

    Tickets tickets = tickets(store, TicketsOptions.defaults().withClock(clock));
    WorkflowInfo<HoldState> ended = ended(tickets, held.holdId());

    assertThat(ended.state().outcome()).isEqualTo(HoldState.Outcome.RELEASED);
    assertThat(ended.state().expiresAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(history(tickets, held.holdId())).containsExactly(
        "WorkflowStarted", "WorkflowStepped", "WorkflowTimerFired", "SeatReleased", "WorkflowEnded");
  }

  @Test
  void sixteenCustomersHoldingOneSeatAtOnceLeaveOneHold() throws Exception {
    var store = InMemoryEventStore.create();
    opened.add(store);
    Tickets tickets = tickets(store, TicketsOptions.defaults());
    int threads = 16;
    var start = new CountDownLatch(1);
    List<Future<Answer<BoxOffice.Held>>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        String customer = "customer" + i;
        answers.add(pool.submit(() -> {
          start.await();
          return tickets.hold("gala", "A1", customer);
        }));
      }
      start.countDown();
    }

    var held = new ArrayList<BoxOffice.Held>();
    var refusals = new ArrayList<String>();
    for (Future<Answer<BoxOffice.Held>> answer : answers) {
      switch (answer.get()) {
        case Answer.Done<BoxOffice.Held> done -> held.add(done.value());
        case Answer.Refused<BoxOffice.Held> refused -> refusals.add(refused.code());
        case Answer.Missing<BoxOffice.Held> missing -> throw new AssertionError(missing);
        case Answer.Busy<BoxOffice.Held> busy -> throw new AssertionError(busy);
      }
    }
    assertThat(held).hasSize(1);
    assertThat(refusals).hasSize(threads - 1).containsOnly("seat_held");
    try (Stream<RecordedEvent> events = store.read(Query.of(QueryItem.types("SeatHeld")))) {
      assertThat(events.count()).isEqualTo(1);
    }
    String holdId = held.getFirst().event().holdId();
    assertThat(done(tickets.findHold(holdId)).status()).isEqualTo(WorkflowStatus.WAITING);
    assertThat(tickets.holds(WorkflowStatus.WAITING, 100)).extracting(WorkflowInfo::id).containsExactly(holdId);
  }

  @Test
  void unknownHoldsAndShowsAreMissing() throws Exception {
    Tickets tickets = inMemory(TicketsOptions.defaults());
    String nobody = "7d0c2b9e-0000-4000-8000-00000000dead";

    assertThat(tickets.findHold(nobody)).isEqualTo(new Answer.Missing<>("no hold " + nobody));
    assertThat(tickets.pay(nobody)).isEqualTo(new Answer.Missing<>("no hold " + nobody));
    assertThat(tickets.seats("gala")).isEqualTo(new Answer.Missing<>("no seat of show gala was ever held"));
  }
}
