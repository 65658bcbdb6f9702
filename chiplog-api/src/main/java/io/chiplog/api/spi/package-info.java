/**
 * Building blocks for backend implementers, shared so that every backend gets the subtle parts
 * right the same way: {@link io.chiplog.api.spi.CommitSignal}, the wake-up that live subscribers
 * wait on, and {@link io.chiplog.api.spi.CatchUpSubscription}, the gap-free catch-up-then-live
 * subscription built on a backend's reads. Application code does not need this package.
 */
@NullMarked
package io.chiplog.api.spi;

import org.jspecify.annotations.NullMarked;
