package io.chiplog.model;

import java.time.Instant;
import java.util.UUID;

/**
 * What {@code decide} may ask of the world: the time and fresh ids. They come from here, so that
 * tests can fix them and {@code evolve}, which never gets a context, stays deterministic: an
 * event carries the time and ids it needs.
 */
public interface CommandContext {

  /** The current time, by the handler's clock. */
  Instant now();

  /** A fresh random id. */
  UUID newId();
}
