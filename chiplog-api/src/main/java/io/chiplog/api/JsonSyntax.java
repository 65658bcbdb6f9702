package io.chiplog.api;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Checks that bytes are one JSON object in UTF-8 (RFC 8259), without building it. The API module
 * has no JSON library, and metadata must be a JSON object on every backend, so the check lives
 * here. It is a plain recursive-descent recogniser; nesting deeper than {@link #DEPTH_MAX} is
 * refused rather than risking a stack overflow.
 */
final class JsonSyntax {
  static final int DEPTH_MAX = 256;

  private final String text;
  private int at;

  private JsonSyntax(String text) {
    this.text = text;
  }

  /** Returns null when {@code utf8} is a single JSON object, otherwise what is wrong. */
  static @Nullable String problemWithObject(byte[] utf8) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      return "is not valid UTF-8";
    }
    var parser = new JsonSyntax(text);
    try {
      parser.skipWhitespace();
      if (parser.peek() != '{') {
        return "must be a JSON object";
      }
      parser.value(0);
      parser.skipWhitespace();
      if (parser.at != text.length()) {
        return "has trailing characters after the JSON object at index " + parser.at;
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "is not valid JSON: " + e.getMessage();
    }
  }

  private void value(int depth) {
    if (depth > DEPTH_MAX) {
      throw fail("nested deeper than " + DEPTH_MAX);
    }
    skipWhitespace();
    char c = peek();
    switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
        } else {
          throw fail("unexpected character");
        }
      }
    }
  }

  private void object(int depth) {
    at++;
    skipWhitespace();
    if (peek() == '}') {
      at++;
      return;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw fail("expected a member name");
      }
      string();
      skipWhitespace();
      expect(':');
      value(depth + 1);
      skipWhitespace();
      if (peek() == ',') {
        at++;
      } else {
        expect('}');
        return;
      }
    }
  }

  private void array(int depth) {
    at++;
    skipWhitespace();
    if (peek() == ']') {
      at++;
      return;
    }
    while (true) {
      value(depth + 1);
      skipWhitespace();
      if (peek() == ',') {
        at++;
      } else {
        expect(']');
        return;
      }
    }
  }

  private void string() {
    at++;
    while (true) {
      char c = next();
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        throw fail("control character in string");
      }
      if (c == '\\') {
        char escaped = next();
        switch (escaped) {
          case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
          case 'u' -> {
            for (int i = 0; i < 4; i++) {
              if (Character.digit(next(), 16) < 0) {
                throw fail("bad \\u escape");
              }
            }
          }
          default -> throw fail("bad escape");
        }
      }
    }
  }

  private void number() {
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else {
      digits();
    }
    if (peek() == '.') {
      at++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      digits();
    }
  }

  private void digits() {
    int start = at;
    while (peek() >= '0' && peek() <= '9') {
      at++;
    }
    if (at == start) {
      throw fail("expected a digit");
    }
  }

  private void literal(String word) {
    if (!text.startsWith(word, at)) {
      throw fail("expected " + word);
    }
    at += word.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw fail("expected '" + c + "'");
    }
    at++;
  }

  private void skipWhitespace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  /** The current character, or NUL at the end (NUL cannot appear unescaped in valid JSON). */
  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private char next() {
    if (at >= text.length()) {
      throw fail("unexpected end");
    }
    return text.charAt(at++);
  }

  private IllegalArgumentException fail(String what) {
    return new IllegalArgumentException(what + " at index " + at);
  }
}
