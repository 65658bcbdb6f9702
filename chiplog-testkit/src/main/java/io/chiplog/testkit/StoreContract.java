package io.chiplog.testkit;

import io.chiplog.api.EventStore;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fixture every contract needs: a way to open a fresh, empty store. Contract tests take the
 * store as an {@link EventStore} parameter; it is opened before the test and closed after it.
 */
@ExtendWith(StoreParameterResolver.class)
public interface StoreContract {

  /** Opens a new, empty store with the default limits. */
  EventStore newStore();
}
