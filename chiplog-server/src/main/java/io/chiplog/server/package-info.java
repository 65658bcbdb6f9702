/**
 * The Chiplog server: HTTP API v1 (DESIGN §4) over any {@link io.chiplog.api.EventStore}.
 * {@link io.chiplog.server.ChiplogServer} starts it on Jetty with one virtual thread per
 * request and stops it gracefully; {@link io.chiplog.server.ServerOptions} holds its limits.
 * The endpoints themselves live in {@code io.chiplog.server.internal}.
 */
@NullMarked
package io.chiplog.server;

import org.jspecify.annotations.NullMarked;
