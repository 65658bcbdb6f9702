package io.chiplog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.RecordedEvent;
import io.chiplog.model.Accounts.AccountEvent;
import io.chiplog.model.Accounts.Deposited;
import io.chiplog.model.Accounts.Opened;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The registry: stable names, tags from the event, strict decoding. */
class EventTypesTest {
  @Test
  void anEventIsStoredUnderItsRegisteredNameWithItsTags() {
    var opened = Accounts.TYPES.encode(new Opened("a1", "ann"));
    var deposited = Accounts.TYPES.encode(new Deposited("a1", 5));

    assertThat(opened.type()).isEqualTo("AccountOpened");
    assertThat(opened.tags()).containsExactly("account:a1");
    assertThat(deposited.tags()).containsExactly("account:a1");
    assertThat(opened.dataAsString()).isEqualTo("{\"account\":\"a1\",\"owner\":\"ann\"}");
  }

  @Test
  void aNameOrAClassRegisteredTwiceIsRefused() {
    assertThatThrownBy(() -> EventTypes.of(AccountEvent.class).add("A", Opened.class).add("A", Deposited.class))
        .hasMessageContaining("registered twice");
    assertThatThrownBy(() -> EventTypes.of(AccountEvent.class).add("A", Opened.class).add("B", Opened.class))
        .hasMessageContaining("registered twice");
  }

  @Test
  void unknownTypesAreSkippedAndDataThatDoesNotFitIsAClearError() {
    var unknown = stored(1, "SomethingElse", "{}");
    var broken = stored(2, "Deposited", "{\"account\":\"a1\",\"amount\":\"lots\"}");

    assertThat(Accounts.TYPES.decode(List.of(unknown))).isEmpty();
    assertThatThrownBy(() -> Accounts.TYPES.decode(List.of(broken)))
        .isInstanceOf(EventTypes.EventDecodingException.class)
        .hasMessageContaining("position 2 (Deposited)");
  }

  private static RecordedEvent stored(long position, String type, String json) {
    return new RecordedEvent(position, UUID.randomUUID(), type, Set.of(), "s", position - 1,
        Instant.parse("2026-01-01T00:00:00Z"), json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
  }
}
