package io.chiplog.store.internal.write;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import java.util.concurrent.CompletableFuture;

/**
 * An append waiting for the writer, and the future its caller waits on.
 *
 * @param request what to append (already checked against the size limits)
 * @param done completed when the append is durable, or exceptionally with why not
 */
public record PendingAppend(AppendRequest request, CompletableFuture<AppendResult> done) {}
