/**
 * The client's machinery behind {@link io.chiplog.client.ChiplogClient}: {@link
 * io.chiplog.client.internal.HttpTransport} (the shared JDK {@code HttpClient} and the mapping of
 * transport failures and error answers to API exceptions), {@link
 * io.chiplog.client.internal.NdjsonReader} and {@link io.chiplog.client.internal.EventLines}
 * (lazy NDJSON answers that fail loudly when cut short), and {@link
 * io.chiplog.client.internal.HttpSubscription} (a bounded buffer filled by a reconnecting
 * background reader). Not an API: it may change in any release.
 */
@NullMarked
package io.chiplog.client.internal;

import org.jspecify.annotations.NullMarked;
