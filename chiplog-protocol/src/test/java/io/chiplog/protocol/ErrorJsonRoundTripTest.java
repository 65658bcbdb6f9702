package io.chiplog.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.api.TooLargeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreIoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server writes an error with {@link ErrorJson#write} and the client rebuilds it with {@link
 * ErrorJson#toException}: what the store threw must come back with the same class and fields.
 */
class ErrorJsonRoundTripTest {

  static Stream<ChiplogException> errors() {
    return Stream.of(
        new InvalidEventException("events[0].type", "must not be empty"),
        new TooLargeException("events[1]", 5000, 4096),
        new StreamNotFoundException("book-42"),
        new AppendConflictException(
            new ConflictReason.RevisionMismatch("book-42", ExpectedRevision.exactly(3), 5)),
        new AppendConflictException(
            new ConflictReason.RevisionMismatch("book-43", ExpectedRevision.exists(), RecordedEvent.NO_REVISION)),
        new AppendConflictException(
            new ConflictReason.ConditionMatched(
                Query.of(QueryItem.types("BookAdded").withTags("category:fiction")), 7, 9)),
        new AppendConflictException(
            new ConflictReason.EventIdsAlreadyStored(List.of(UUID.randomUUID()))));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void anErrorWrittenByTheServerIsRebuiltWithItsFields(ChiplogException thrown) throws IOException {
    JsonNode body = WireJson.parse(written(thrown));

    ChiplogException rebuilt =
        ErrorJson.toException(ErrorJson.codeOf(thrown).status(), body, "no message");

    assertThat(rebuilt).isInstanceOf(thrown.getClass());
    assertThat(rebuilt).usingRecursiveComparison().ignoringFields("stackTrace", "suppressedExceptions")
        .isEqualTo(thrown);
  }

  @Test
  void anAnswerWithoutErrorJsonBecomesAnIoErrorNamingTheStatus() {
    ChiplogException rebuilt = ErrorJson.toException(502, null, "Bad Gateway");

    assertThat(rebuilt).isInstanceOf(StoreIoException.class).hasMessageContaining("HTTP 502");
  }

  private static byte[] written(Throwable error) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = WireJson.generator(bytes)) {
      ErrorJson.write(out, error);
    }
    return bytes.toByteArray();
  }
}
