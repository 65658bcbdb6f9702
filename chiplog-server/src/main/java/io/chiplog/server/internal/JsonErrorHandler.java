package io.chiplog.server.internal;

import io.chiplog.protocol.ErrorCode;
import io.chiplog.protocol.ErrorJson;
import io.chiplog.protocol.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's own error answers in the error JSON of DESIGN §4 instead of an HTML page: the 503 of
 * a request that arrives on a kept-alive connection while the server stops, a malformed request
 * line, a header too large. Thread-safe and stateless.
 */
public final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request, Response response, int status, @Nullable String message,
      @Nullable Throwable cause, Callback callback) {
    byte[] body = body(status, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, WireJson.JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static byte[] body(int status, @Nullable String message) {
    var bytes = new ByteArrayOutputStream(128);
    try (var out = WireJson.generator(bytes)) {
      ErrorJson.write(out, codeOf(status), message == null || message.isBlank() ? HttpStatus.getMessage(status) : message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private static ErrorCode codeOf(int status) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.status() == status) {
        return code;
      }
    }
    return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
  }
}
