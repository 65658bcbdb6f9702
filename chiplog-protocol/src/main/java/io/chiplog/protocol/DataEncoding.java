package io.chiplog.protocol;

import java.util.Locale;

/**
 * How an event's {@code data} and {@code metadata} are rendered in answers.
 *
 * <p>{@link #JSON}, the default, is for people and for clients in other languages: data whose
 * bytes are a JSON document appears as that document under {@code "data"}, re-serialized
 * compactly; any other bytes appear as {@code "dataBase64"}. {@link #BASE64} is byte-exact:
 * {@code "dataBase64"} and {@code "metadataBase64"} always. The Java client and {@code export}
 * use it, so that what they read back is exactly what was written.
 */
public enum DataEncoding {
  JSON,
  BASE64;

  /** The encoding named by an {@code encoding} query parameter ({@code json} or {@code base64}). */
  public static DataEncoding parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "json" -> JSON;
      case "base64" -> BASE64;
      default ->
          throw new MalformedRequestException(
              "encoding", "must be json or base64, was '" + value + "'");
    };
  }

  /** The parameter value that names this encoding. */
  public String parameter() {
    return name().toLowerCase(Locale.ROOT);
  }
}
