package io.chiplog.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.ConflictReason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on {@link AppendConflictException}s. */
final class Conflicts {
  private Conflicts() {}

  /** Asserts that {@code append} fails with a conflict of {@code reasonType} and returns it. */
  static <R extends ConflictReason> R conflictOf(Class<R> reasonType, ThrowingCallable append) {
    var captured = new Object[1];
    assertThatThrownBy(append)
        .isInstanceOfSatisfying(
            AppendConflictException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.reason()).isInstanceOf(reasonType);
              captured[0] = e.reason();
            });
    return reasonType.cast(captured[0]);
  }
}
