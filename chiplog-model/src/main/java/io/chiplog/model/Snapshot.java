package io.chiplog.model;

/**
 * An entity's state at a revision of its stream, to start loading from instead of revision 0.
 * A snapshot never replaces events: the stream stays whole, and a snapshot whose {@code
 * codeVersion} is not the entity's current one is ignored.
 *
 * @param entity the entity's name
 * @param stream the stream
 * @param codeVersion the version of the entity's code that folded the state
 * @param revision the revision of the last event folded in
 * @param lastEventId the id of that event: a snapshot is used only if the stream still has this
 *     event at this revision (not a snapshot of another store, or of a restored older one)
 * @param state the state as JSON
 */
public record Snapshot(String entity, String stream, int codeVersion, long revision, java.util.UUID lastEventId, byte[] state) {
  /** Copies the state. */
  public Snapshot {
    state = state.clone();
  }

  @Override
  public byte[] state() {
    return state.clone();
  }
}
