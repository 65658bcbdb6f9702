package io.chiplog.examples.support;

/**
 * An HTTP answer other than success, thrown from deep in a request and answered by {@link
 * HttpJson#send(org.eclipse.jetty.server.Response, Problem)} as {@code
 * {"error":code,"message":…}} with its status (the error shape of the server's API). Carries no
 * stack trace: it is an answer, not a failure.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  /** A problem answered with {@code status}, {@code code} and {@code message}. */
  public Problem(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** A 400 {@code bad_request}. */
  public static Problem badRequest(String message) {
    return new Problem(400, "bad_request", message);
  }

  /** A 404 {@code not_found}. */
  public static Problem notFound(String message) {
    return new Problem(404, "not_found", message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The error code, e.g. {@code bad_request}. */
  public String code() {
    return code;
  }
}
