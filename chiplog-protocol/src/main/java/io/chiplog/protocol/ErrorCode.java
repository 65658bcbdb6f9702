package io.chiplog.protocol;

import org.jspecify.annotations.Nullable;

/** The error codes of HTTP API v1 and their HTTP statuses. */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  TOO_MANY_REQUESTS(429),
  INTERNAL(500),
  UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  /** The HTTP status that carries this code. */
  public int status() {
    return status;
  }

  /** The code as it appears in the {@code error} field, e.g. {@code too_large}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The code named {@code code}, or null when there is none. */
  public static @Nullable ErrorCode fromCode(String code) {
    for (ErrorCode each : values()) {
      if (each.code().equals(code)) {
        return each;
      }
    }
    return null;
  }
}
