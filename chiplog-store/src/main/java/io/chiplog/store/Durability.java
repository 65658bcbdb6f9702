package io.chiplog.store;

/** When an append counts as done. */
public enum Durability {
  /**
   * The default: each group-committed batch is forced to disk ({@code fsync}) before any of its
   * appends is acknowledged. An acknowledged append survives a process crash and a power loss.
   */
  FSYNC,

  /**
   * Opt-in and weaker: appends are acknowledged once written to the operating system, without
   * {@code fsync}. They survive a crash of the process, but a power loss or kernel crash can lose
   * the last appends acknowledged (up to the operating system's write-back delay, typically
   * seconds), and recovery then cuts them as a torn tail. Use for tests and rebuildable data.
   */
  NO_FSYNC
}
