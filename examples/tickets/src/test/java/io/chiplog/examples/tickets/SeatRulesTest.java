package io.chiplog.examples.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.examples.tickets.TicketEvent.SeatReleased;
import io.chiplog.examples.tickets.TicketEvent.SeatSold;
import io.chiplog.model.Decision;
import io.chiplog.model.DecisionContext;
import io.chiplog.model.Outcome;
import io.chiplog.model.testing.DecisionFixture;
import io.chiplog.workflows.Decided;
import io.chiplog.workflows.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The rules, given what the log holds: when a seat may be held, sold or released. */
class SeatRulesTest {
  /** The fixture's clock. */
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EARLIER = NOW.minusSeconds(600);
  private static final SeatHeld ANN_HOLDS_A1 = new SeatHeld("h1", "gala", "A1", "ann", 60_000, EARLIER);
  private static final HoldState ANNS_HOLD = HoldState.of(ANN_HOLDS_A1);

  private static DecisionFixture<TicketEvent> fixture() {
    return DecisionFixture.of(TicketTypes.TYPES);
  }

  /** The hold rule as a decision; a refusal's reason starts with its code. */
  private static Decision<TicketEvent> decided(Answer<TicketEvent> answer) {
    return switch (answer) {
      case Answer.Done<TicketEvent> done -> Decision.accept(done.value());
      case Answer.Refused<TicketEvent> refused -> Decision.reject(refused.code() + ": " + refused.reason());
      case Answer.Missing<TicketEvent> missing -> Decision.reject("missing: " + missing.reason());
      case Answer.Busy<TicketEvent> busy -> Decision.reject("busy: " + busy.reason());
    };
  }

  private static Outcome<TicketEvent> holdA1(DecisionFixture<TicketEvent> given) {
    return given.when(context -> decided(SeatRules.hold(context, "gala", "A1", "bob", Duration.ofSeconds(30))))
        .outcome();
  }

  @Test
  void aSeatNeverHeldIsHeldUntilTheHoldTimeFromNow() {
    Outcome<TicketEvent> outcome = holdA1(fixture().given(new SeatHeld("h0", "gala", "A2", "cat", 1_000, EARLIER)));

    assertThat(outcome).isInstanceOf(Outcome.Appended.class);
    var held = (SeatHeld) ((Outcome.Appended<TicketEvent>) outcome).events().getFirst().event();
    assertThat(held.show()).isEqualTo("gala");
    assertThat(held.seat()).isEqualTo("A1");
    assertThat(held.customer()).isEqualTo("bob");
    assertThat(held.expiresAt()).isEqualTo(NOW.plusSeconds(30));
    assertThat(held.holdId()).isNotBlank().isNotEqualTo("h0");
    assertThat(held.tags()).containsExactlyInAnyOrder("seat:gala/A1", "hold:" + held.holdId(), "show:gala");
  }

  @Test
  void aHeldSeatIsRefusedWithItsExpiry() {
    fixture().given(ANN_HOLDS_A1)
        .when(context -> decided(SeatRules.hold(context, "gala", "A1", "bob", Duration.ofSeconds(30))))
        .thenRejected("seat_held: seat gala/A1 is held until " + ANN_HOLDS_A1.expiresAt());
  }

  @Test
  void aSoldSeatIsRefused() {
    fixture().given(ANN_HOLDS_A1, new SeatSold("h1", "gala", "A1", "ann"))
        .when(context -> decided(SeatRules.hold(context, "gala", "A1", "bob", Duration.ofSeconds(30))))
        .thenRejected("seat_sold: seat gala/A1 is sold");
  }

  @Test
  void aReleasedSeatIsFreeAgain() {
    Outcome<TicketEvent> outcome = holdA1(fixture().given(ANN_HOLDS_A1, new SeatReleased("h1", "gala", "A1", "ann")));

    assertThat(outcome).isInstanceOf(Outcome.Appended.class);
  }

  /** Runs a decision step's rule after the given events; what it decided. */
  private static Decided<HoldState, TicketEvent> step(DecisionFixture<TicketEvent> given,
      Function<DecisionContext<TicketEvent>, Decided<HoldState, TicketEvent>> rule) {
    var decided = new AtomicReference<Decided<HoldState, TicketEvent>>();
    given.when(context -> {
      decided.set(rule.apply(context));
      return Decision.accept(decided.get().events());
    });
    return decided.get();
  }

  @Test
  void aHeldSeatIsSoldAndTheHoldEnds() {
    var sold = step(fixture().given(ANN_HOLDS_A1), context -> SeatRules.sell(context, ANNS_HOLD));

    assertThat(sold.events()).containsExactly(new SeatSold("h1", "gala", "A1", "ann"));
    assertThat(sold.then()).isEqualTo(Transition.end(ANNS_HOLD.ended(HoldState.Outcome.SOLD)));
  }

  @Test
  void aHeldSeatIsReleasedAndTheHoldEnds() {
    var released = step(fixture().given(ANN_HOLDS_A1), context -> SeatRules.release(context, ANNS_HOLD));

    assertThat(released.events()).containsExactly(new SeatReleased("h1", "gala", "A1", "ann"));
    assertThat(released.then()).isEqualTo(Transition.end(ANNS_HOLD.ended(HoldState.Outcome.RELEASED)));
  }

  /** Written from elsewhere (the engine never runs a decision step twice): nothing to add, the hold just ends. */
  @Test
  void aHoldSoldOrReleasedAlreadyEndsWithoutAnotherEvent() {
    var sold = step(fixture().given(ANN_HOLDS_A1, new SeatSold("h1", "gala", "A1", "ann")),
        context -> SeatRules.sell(context, ANNS_HOLD));
    var released = step(fixture().given(ANN_HOLDS_A1, new SeatReleased("h1", "gala", "A1", "ann")),
        context -> SeatRules.release(context, ANNS_HOLD));

    assertThat(sold).isEqualTo(Decided.then(Transition.end(ANNS_HOLD.ended(HoldState.Outcome.SOLD))));
    assertThat(released).isEqualTo(Decided.then(Transition.end(ANNS_HOLD.ended(HoldState.Outcome.RELEASED))));
  }

  @Test
  void aReleasedHoldIsNeverSoldNorASoldOneReleased() {
    var sell = step(fixture().given(ANN_HOLDS_A1, new SeatReleased("h1", "gala", "A1", "ann")),
        context -> SeatRules.sell(context, ANNS_HOLD));
    var release = step(fixture().given(ANN_HOLDS_A1, new SeatSold("h1", "gala", "A1", "ann")),
        context -> SeatRules.release(context, ANNS_HOLD));

    assertThat(sell).isEqualTo(Decided.then(Transition.fail("hold h1 is RELEASED: it cannot be sold")));
    assertThat(release).isEqualTo(Decided.then(Transition.fail("hold h1 is SOLD: it cannot be released")));
  }

  @Test
  void eventsRefuseNamesThatWouldMakeTwoSeatsShareATag() {
    assertThatThrownBy(() -> new SeatHeld("h", "gala/A", "1", "ann", 1, NOW))
        .hasMessageContaining("show must be 1 to 64 characters of [A-Za-z0-9_-]");
  }
}
