package io.chiplog.examples.tickets;

/**
 * An HTTP answer other than success, thrown from deep in a request and answered as {@code
 * {"error":code,"message":…}} with its status. Carries no stack trace: it is an answer, not a
 * failure.
 */
final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  Problem(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static Problem badRequest(String message) {
    return new Problem(400, "bad_request", message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
