package io.chiplog.views;

import io.chiplog.store.FileEventStore;
import io.chiplog.views.jdbc.JdbcViewStore;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The child JVM of {@link ViewCrashIT}: folds a log the parent filled into the tally view, kept in
 * a durable view store, in small batches, and reports each committed position until the parent
 * kills it with SIGKILL (or it reaches the head).
 *
 * <p>Arguments: {@code <log directory> <store> <view name> <batch size>}, where {@code <store>}
 * is {@code embedded:<file>}, {@code postgresql} or {@code mariadb} ({@link TestDatabase}).
 *
 * <p>Its stdout holds only its report, one write per line so that a kill cuts at most the line
 * being written:
 *
 * <ul>
 *   <li>{@code READY <head> <checkpoint>}: the stores are open; the view resumes from the
 *       checkpoint the last run left;
 *   <li>{@code AT <position>}: the view's position moved; every position reported is a
 *       checkpoint already committed, because a runner moves its position only after its commit
 *       (every event of the log is one the view folds, so no idle poll moves it without one);
 *   <li>{@code DONE <position>}: it reached the head, and exits.
 * </ul>
 */
final class ProjectionChild {
  static final String READY = "READY";
  static final String AT = "AT";
  static final String DONE = "DONE";
  private static final String EMBEDDED_PREFIX = "embedded:";
  private static final Duration PROGRESS_WAIT = Duration.ofSeconds(60);

  private final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);

  private ProjectionChild() {}

  /** Runs the fold; see the class comment. */
  public static void main(String[] args) {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: ProjectionChild <log directory> <embedded:<file>|postgresql|mariadb> <view> <batch size>");
    }
    new ProjectionChild().run(Path.of(args[0]), args[1], args[2], Integer.parseInt(args[3]));
  }

  /** The argument that names the embedded store in {@code file}. */
  static String embedded(Path file) {
    return EMBEDDED_PREFIX + file;
  }

  /** The argument that names the database {@code database}. */
  static String database(TestDatabase database) {
    return database.name().toLowerCase(Locale.ROOT);
  }

  private void run(Path logDirectory, String storeArgument, String viewName, int batchSize) {
    // Nothing here is closed: the parent ends this process with SIGKILL, mid-batch.
    FileEventStore events = FileEventStore.open(logDirectory);
    ViewStore store = openStore(storeArgument);
    long head = events.head();
    String space = store.liveSpace(viewName);
    long checkpoint = space == null ? 0 : store.checkpoint(space);
    print(READY + " " + head + " " + checkpoint);
    Views views = Views.builder(events, store)
        .options(ViewOptions.defaults().withBatchSizeMax(batchSize))
        .add(Tallies.view(viewName, 1))
        .start();
    long reported = checkpoint;
    while (reported < head) {
      views.awaitPosition(viewName, reported + 1, PROGRESS_WAIT);
      reported = views.position(viewName);
      print(AT + " " + reported);
    }
    print(DONE + " " + reported);
    views.close();
    store.close();
    events.close();
  }

  private static ViewStore openStore(String argument) {
    if (argument.startsWith(EMBEDDED_PREFIX)) {
      return EmbeddedViewStore.open(Path.of(argument.substring(EMBEDDED_PREFIX.length())));
    }
    // A small pool: the runner takes one connection per batch and one per key it reads.
    return JdbcViewStore.open(TestDatabase.valueOf(argument.toUpperCase(Locale.ROOT)).pool(2));
  }

  private void print(String line) {
    try {
      stdout.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
