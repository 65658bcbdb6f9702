/**
 * The endpoints of HTTP API v1 on Jetty's core handler API. {@link
 * io.chiplog.server.internal.ApiHandler} routes each request, on its own virtual thread, to one
 * endpoint class; {@link io.chiplog.server.internal.Exchange} holds what every endpoint needs
 * (bounded body reading, strict parameters, JSON and error answers). Subscriptions are the only
 * long-lived requests: {@link io.chiplog.server.internal.SubscribeEndpoint} pulls from the
 * store only as fast as the client reads, so a stalled client holds at most one page.
 */
@NullMarked
package io.chiplog.server.internal;

import org.jspecify.annotations.NullMarked;
