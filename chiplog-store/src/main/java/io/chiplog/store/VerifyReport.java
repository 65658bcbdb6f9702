package io.chiplog.store;

import java.util.List;

/**
 * What {@link FileEventStore#verify()} found.
 *
 * @param eventsChecked records whose checksum, position and index entries were checked
 * @param segmentsChecked segment files read
 * @param problems each problem found, naming the file, offset or position; empty when sound
 */
public record VerifyReport(long eventsChecked, int segmentsChecked, List<String> problems) {
  /** Copies the problems. */
  public VerifyReport {
    problems = List.copyOf(problems);
  }

  /** Whether nothing is wrong. */
  public boolean isSound() {
    return problems.isEmpty();
  }
}
