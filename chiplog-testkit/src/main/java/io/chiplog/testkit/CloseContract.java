package io.chiplog.testkit;

import static io.chiplog.testkit.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.StoreClosedException;
import org.junit.jupiter.api.Test;

/** A closed store refuses every operation with {@link StoreClosedException}. */
public interface CloseContract extends StoreContract {

  @Test
  default void everyOperationFailsAfterClose(EventStore store) {
    store.append(AppendRequest.of(event("A")).toStream("s"));

    store.close();

    assertThatThrownBy(() -> store.append(AppendRequest.of(event("B")))).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> TestEvents.readAll(store)).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> TestEvents.readStream(store, "s", ReadOptions.forwards()))
        .isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(store::head).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> store.subscribe(Query.all(), 0)).isInstanceOf(StoreClosedException.class);
  }

  @Test
  default void asyncAppendAfterCloseFailsTheFuture(EventStore store) {
    store.close();

    var future = store.appendAsync(AppendRequest.of(event("A")));

    assertThatThrownBy(future::join).hasCauseInstanceOf(StoreClosedException.class);
  }

  @Test
  default void closingTwiceIsHarmless(EventStore store) {
    store.close();

    assertThatCode(store::close).doesNotThrowAnyException();
  }
}
