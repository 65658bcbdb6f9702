package io.chiplog.examples.tickets;

import static io.chiplog.examples.tickets.SeatHoldWorkflow.HOLD;
import static io.chiplog.examples.tickets.SeatHoldWorkflow.PAID;
import static io.chiplog.examples.tickets.SeatHoldWorkflow.RELEASE;
import static io.chiplog.examples.tickets.SeatHoldWorkflow.SELL;

import io.chiplog.api.EventStore;
import io.chiplog.model.ModelOptions;
import io.chiplog.workflows.SignalRejectedException;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowStatus;
import io.chiplog.workflows.Workflows;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The box office as a service: holds seats through {@link BoxOffice}, and runs the {@link
 * SeatHoldWorkflow} of every hold in its own {@link Workflows} engine, which pays and expires
 * them. Thread-safe; one per store (the engine must be the only one running {@code seat_hold}
 * on it). {@link #close()} stops the engine, not the store.
 */
final class Tickets implements AutoCloseable {
  /** How often a request looks again at a hold whose workflow has not reached its wait. */
  private static final long POLL_MILLIS = 5;

  private final BoxOffice office;
  private final Workflow<HoldState> seatHold;
  private final Workflows workflows;
  private final TicketsOptions options;

  private Tickets(BoxOffice office, Workflow<HoldState> seatHold, Workflows workflows, TicketsOptions options) {
    this.office = office;
    this.seatHold = seatHold;
    this.workflows = workflows;
    this.options = options;
  }

  /**
   * Starts the box office over {@code store}: its engine resumes the holds open when it last
   * stopped (a timer that fell due meanwhile fires at once) and starts a workflow for every
   * {@code SeatHeld} appended since.
   */
  static Tickets start(EventStore store, TicketsOptions options) {
    var office = new BoxOffice(store, ModelOptions.builder().clock(options.clock()).build());
    Workflow<HoldState> seatHold = SeatHoldWorkflow.define();
    Workflows workflows = Workflows.builder(store).add(seatHold).clock(options.clock()).start();
    return new Tickets(office, seatHold, workflows, options);
  }

  /**
   * A payment taken.
   *
   * @param hold the hold, as it ended when {@code sold}
   * @param sold whether the sale is recorded; false when it took longer than the wait, and
   *     follows (the payment is recorded: the hold can no longer expire)
   * @param position the position of the sale's append (its {@code SeatSold} and the workflow's
   *     end, this being the last); of the payment's record when not sold yet
   */
  record Paid(HoldState hold, boolean sold, long position) {}

  /** Holds the seat for {@code customer}; refused when it is held or sold. */
  Answer<BoxOffice.Held> hold(String show, String seat, String customer) {
    return office.hold(show, seat, customer, options.holdFor());
  }

  /**
   * Pays the hold: sells its seat, unless the hold expired or was paid already.
   *
   * @throws InterruptedException when interrupted while waiting for the hold's workflow
   */
  Answer<Paid> pay(String holdId) throws InterruptedException {
    Answer<WorkflowInfo<HoldState>> found = findHold(holdId);
    if (!(found instanceof Answer.Done<WorkflowInfo<HoldState>> done)) {
      return found.retyped();
    }
    Answer<Paid> refused = refusal(done.value());
    if (refused != null) {
      return refused;
    }
    long signalled;
    try {
      signalled = workflows.signal(seatHold, holdId, PAID, new SeatHoldWorkflow.Payment(options.clock().instant()));
    } catch (SignalRejectedException late) {
      // The timer fired between the look above and the signal: the engine took it first.
      WorkflowInfo<HoldState> now = workflows.info(seatHold, holdId).orElseThrow();
      return Objects.requireNonNullElseGet(refusal(now), () -> new Answer.Busy<>(late.getMessage()));
    }
    return new Answer.Done<>(sale(done.value().state(), signalled));
  }

  /** Waits for the sell step the payment led to; the payment stands whether or not it is done in time. */
  private Paid sale(HoldState hold, long signalled) throws InterruptedException {
    WorkflowInfo<HoldState> ended;
    try {
      ended = workflows.awaitEnd(seatHold, hold.holdId()).get(options.workflowWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      return new Paid(hold, false, signalled);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot follow hold " + hold.holdId(), e.getCause());
    }
    if (ended.status() != WorkflowStatus.COMPLETED || ended.state().outcome() != HoldState.Outcome.SOLD) {
      throw new IllegalStateException("hold " + hold.holdId() + " was paid but ended " + ended.status()
          + ": " + ended.reason());
    }
    return new Paid(ended.state(), true, ended.position());
  }

  /**
   * Why the hold cannot be paid now, or null when it can. A hold whose expiry has passed is
   * refused even while its timer is about to fire: the customer was told when it expires.
   */
  private <T> @Nullable Answer<T> refusal(WorkflowInfo<HoldState> info) {
    HoldState hold = info.state();
    return switch (info.status()) {
      case WAITING -> options.clock().instant().isBefore(hold.expiresAt()) ? null : expired(hold);
      case RUNNING, RETRYING -> switch (info.step()) {
        case SELL -> Answer.holdPaid("hold " + hold.holdId() + " is paid");
        case RELEASE -> expired(hold);
        default -> new Answer.Busy<>("hold " + hold.holdId() + " is starting; try again");
      };
      case COMPLETED -> hold.outcome() == HoldState.Outcome.SOLD
          ? Answer.holdPaid("hold " + hold.holdId() + " is paid: seat " + hold.seatName() + " is sold")
          : expired(hold);
      case COMPENSATING, COMPENSATED, FAILED ->
          throw new IllegalStateException("hold " + hold.holdId() + " failed: " + info.reason());
    };
  }

  private static <T> Answer<T> expired(HoldState hold) {
    return Answer.holdExpired("hold " + hold.holdId() + " expired at " + hold.expiresAt()
        + "; seat " + hold.seatName() + " is released");
  }

  /**
   * The hold's workflow once it has reached its wait (or gone past it). Its trigger starts it a
   * moment after the {@code SeatHeld} is appended, and a payment in between would be refused, so
   * a hold that exists but has not got there yet is waited for, up to the options' wait.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  Answer<WorkflowInfo<HoldState>> findHold(String holdId) throws InterruptedException {
    Optional<WorkflowInfo<HoldState>> info = workflows.info(seatHold, holdId);
    if (info.isEmpty() && !office.holdExists(holdId)) {
      return new Answer.Missing<>("no hold " + holdId);
    }
    long deadline = System.nanoTime() + options.workflowWait().toNanos();
    // The engine tells when an instance ends, not when it starts waiting: look again shortly.
    while (info.isEmpty() || isStarting(info.get())) {
      if (System.nanoTime() - deadline > 0) {
        return new Answer.Busy<>("hold " + holdId + " is starting; try again");
      }
      Thread.sleep(POLL_MILLIS);
      info = workflows.info(seatHold, holdId);
    }
    return new Answer.Done<>(info.get());
  }

  /** Whether the instance has started but not recorded its wait yet. */
  private static boolean isStarting(WorkflowInfo<HoldState> info) {
    return info.status() == WorkflowStatus.RUNNING && info.step().equals(HOLD);
  }

  /** Up to {@code limit} holds whose workflow is in {@code status}: open ones by id, ended ones newest first. */
  List<WorkflowInfo<HoldState>> holds(WorkflowStatus status, int limit) {
    return workflows.list(seatHold, status, limit);
  }

  /** The show's seats that were ever held; missing when none was. */
  Answer<BoxOffice.ShowSeats> seats(String show) {
    return office.seats(show).<Answer<BoxOffice.ShowSeats>>map(Answer.Done::new)
        .orElseGet(() -> new Answer.Missing<>("no seat of show " + show + " was ever held"));
  }

  /** The engine, for tests. */
  Workflows workflows() {
    return workflows;
  }

  /** The workflow definition, for tests. */
  Workflow<HoldState> seatHold() {
    return seatHold;
  }

  /** Stops the engine: steps running finish, timers stop; what is pending resumes at the next start. */
  @Override
  public void close() {
    workflows.close();
  }
}
