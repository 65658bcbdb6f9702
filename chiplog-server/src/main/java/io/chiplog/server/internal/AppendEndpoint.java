package io.chiplog.server.internal;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventStore;
import io.chiplog.api.InvalidEventException;
import io.chiplog.protocol.AppendJson;
import io.chiplog.protocol.MalformedRequestException;
import java.io.IOException;
import java.util.Set;

/**
 * {@code POST /v1/append}: parse strictly, append (blocking this request's virtual thread while
 * the store's group commit makes it durable), answer the positions. Nothing is written unless
 * the whole body was valid.
 */
final class AppendEndpoint {
  private final EventStore store;
  private final ServerMetrics metrics;
  private final long bodyMaxBytes;

  AppendEndpoint(EventStore store, ServerMetrics metrics, long bodyMaxBytes) {
    this.store = store;
    this.metrics = metrics;
    this.bodyMaxBytes = bodyMaxBytes;
  }

  void handle(Exchange exchange) throws IOException {
    exchange.allowParameters(Set.of());
    AppendResult result;
    try {
      AppendRequest request = AppendJson.readRequest(exchange.jsonBody(bodyMaxBytes));
      long started = System.nanoTime();
      result = store.append(request);
      metrics.appended(request.size(), System.nanoTime() - started);
    } catch (AppendConflictException e) {
      metrics.conflict(e);
      throw e;
    } catch (MalformedRequestException | InvalidEventException | Exchange.HttpProblem e) {
      metrics.rejected();
      throw e;
    }
    exchange.json(200, out -> AppendJson.writeResult(out, result));
  }
}
