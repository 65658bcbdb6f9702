/**
 * The Java client of HTTP API v1: {@link io.chiplog.client.ChiplogClient} implements {@link
 * io.chiplog.api.EventStore} against a Chiplog server, so code written against the embedded store
 * runs unchanged against a remote one, with the same values and the same exceptions. {@link
 * io.chiplog.client.ClientOptions} holds its timeouts, buffer sizes and reconnect backoff. The
 * client is thread-safe and shares one pool of HTTP connections between all callers.
 */
@NullMarked
package io.chiplog.client;

import org.jspecify.annotations.NullMarked;
