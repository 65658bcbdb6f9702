package io.chiplog.examples.bank;

import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * An account's statement: its last events, read from the store by the account's tag (one
 * backwards read, however long its history). A read model of the simplest kind, with no view:
 * the log's tag index is the index. Thread-safe.
 */
final class AccountHistory {
  private static final String[] TYPES = BankTypes.TYPES.names().toArray(String[]::new);

  private final EventStore store;

  AccountHistory(EventStore store) {
    this.store = store;
  }

  /** The last {@code limit} events of {@code account}, oldest first; none when there is no such account. */
  List<RecordedEvent> last(String account, int limit) {
    var query = Query.of(QueryItem.types(TYPES).withTags(BankEvent.accountTag(account)));
    var events = new ArrayList<RecordedEvent>();
    try (Stream<RecordedEvent> newestFirst = store.read(query, ReadOptions.backwards().limit(limit))) {
      newestFirst.forEach(events::add);
    }
    Collections.reverse(events);
    return events;
  }
}
