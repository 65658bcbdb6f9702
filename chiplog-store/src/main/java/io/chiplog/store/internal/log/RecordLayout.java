package io.chiplog.store.internal.log;

/**
 * One event on disk, framed as {@code [length][crc32c][header][payload]}, big-endian:
 *
 * <pre>
 *  0  length             int    bytes after the crc field (header + payload)
 *  4  crc32c             int    of those bytes
 *  8  position           long
 * 16  recordedAt         long   microseconds since the epoch, UTC
 * 24  revision           long   in the stream, or -1 without a stream
 * 32  id                 2 longs (most, least significant bits)
 * 48  batch size         int    events in the append this event belongs to
 * 52  batch index        int    this event's place in that append, 0-based
 * 56  type length        short  UTF-8 bytes
 * 58  stream length      short  UTF-8 bytes, 0 without a stream
 * 60  tag count          short
 * 62  reserved           short  0
 * 64  data length        int
 * 68  metadata length    int
 * 72  commit position    long   the first position of the group commit that wrote this record
 * 80  payload: type, stream, tags (each: short length + UTF-8 bytes), data, metadata
 * </pre>
 *
 * The batch fields let a retried append be recognised (same ids, one append) after a restart.
 * The commit position tells recovery which records were made durable by one {@code fsync}: damage
 * followed only by records of the same commit is that commit's torn write, never acknowledged.
 */
public final class RecordLayout {
  /** Offset of the length field. */
  public static final int LENGTH_OFFSET = 0;
  /** Offset of the checksum. */
  public static final int CRC_OFFSET = 4;
  /** Bytes of {@code [length][crc32c]}; the checksum covers everything after them. */
  public static final int FRAME_SIZE = 8;
  /** Offset of the position. */
  public static final int POSITION_OFFSET = 8;
  /** Offset of recordedAt. */
  public static final int RECORDED_AT_OFFSET = 16;
  /** Offset of the revision. */
  public static final int REVISION_OFFSET = 24;
  /** Offset of the id. */
  public static final int ID_OFFSET = 32;
  /** Offset of the batch size. */
  public static final int BATCH_SIZE_OFFSET = 48;
  /** Offset of the batch index. */
  public static final int BATCH_INDEX_OFFSET = 52;
  /** Offset of the type length. */
  public static final int TYPE_LENGTH_OFFSET = 56;
  /** Offset of the stream length. */
  public static final int STREAM_LENGTH_OFFSET = 58;
  /** Offset of the tag count. */
  public static final int TAG_COUNT_OFFSET = 60;
  /** Offset of the data length. */
  public static final int DATA_LENGTH_OFFSET = 64;
  /** Offset of the metadata length. */
  public static final int METADATA_LENGTH_OFFSET = 68;
  /** Offset of the commit position. */
  public static final int COMMIT_POSITION_OFFSET = 72;
  /** Offset of the payload; also the smallest possible record. */
  public static final int PAYLOAD_OFFSET = 80;
  /**
   * The largest record a reader accepts: the 16 MiB append limit is far below it, so a larger
   * length can only be garbage (a torn or corrupt frame).
   */
  public static final int RECORD_SIZE_MAX = 1 << 30;

  private RecordLayout() {}
}
