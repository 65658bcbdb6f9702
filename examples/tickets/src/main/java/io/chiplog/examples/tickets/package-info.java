/**
 * Seat holds on Chiplog: a customer holds a seat of a show, and the hold expires, releasing the
 * seat, unless it is paid in time, through a durable workflow timer that survives restarts.
 *
 * <p>{@link io.chiplog.examples.tickets.SeatRules} holds the DCB decisions (a seat is held by one
 * hold at a time; selling and releasing happen once per hold), {@link
 * io.chiplog.examples.tickets.SeatHoldWorkflow} the workflow each hold runs (wait for the payment
 * or the expiry, then sell or release), {@link io.chiplog.examples.tickets.Tickets} the service
 * that runs both, and {@link io.chiplog.examples.tickets.TicketsApp} the HTTP server. Everything
 * here is immutable or thread-safe.
 */
@NullMarked
package io.chiplog.examples.tickets;

import org.jspecify.annotations.NullMarked;
