package io.chiplog.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {

  private static String problem(String json) {
    return JsonSyntax.problemWithObject(json.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      " { } ",
      "{\"a\":1}",
      "{\"a\":-0.5e+10,\"b\":[true,false,null,\"x\\n\\u00e9\"],\"c\":{\"d\":{}}}",
      "{\"é\":\"🚢\"}",
      "\n{\"a\" : [ ] }\r\n"
  })
  void acceptsJsonObjects(String json) {
    assertThat(problem(json)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "[]", "1", "\"s\"", "null", "{", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":1,}",
      "{\"a\":01}", "{\"a\":1.}", "{\"a\":tru}", "{} {}", "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}",
      "{\"a\":[1 2]}", "{'a':1}"
  })
  void refusesAnythingElse(String json) {
    assertThat(problem(json)).isNotNull();
  }

  @org.junit.jupiter.api.Test
  void refusesInvalidUtf8() {
    byte[] bytes = {'{', '"', (byte) 0xC3, '"', ':', '1', '}'};
    assertThat(JsonSyntax.problemWithObject(bytes)).contains("UTF-8");
  }

  @org.junit.jupiter.api.Test
  void refusesNestingDeeperThanTheLimitWithoutOverflowingTheStack() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThat(problem(deep)).contains("nested deeper");
  }
}
