package io.chiplog.store.internal.log;

/**
 * The header at the start of every segment file, 64 bytes, big-endian:
 *
 * <pre>
 *  0  magic            8 bytes  "CHIPLOG\0"
 *  8  format version   int      1
 * 12  header size      int      64
 * 16  segment ordinal  int      0, 1, 2, ... in log order
 * 20  reserved         int      0
 * 24  first position   long     the position of the segment's first record
 * 32  reserved         24 bytes 0
 * 56  reserved         int      0
 * 60  crc32c           int      of bytes 0..59
 * </pre>
 *
 * Records follow from offset 64. A segment is named after its ordinal and first position,
 * {@code 00000000-00000000000000000001.log}, so a directory listing sorts in log order.
 */
public final class SegmentLayout {
  /** "CHIPLOG" and a NUL. */
  public static final long MAGIC = 0x434849504c4f4700L;
  /** The only format version so far. */
  public static final int FORMAT_VERSION = 1;
  /** Bytes before the first record. */
  public static final int HEADER_SIZE = 64;
  /** Offset of the format version. */
  public static final int VERSION_OFFSET = 8;
  /** Offset of the header size. */
  public static final int HEADER_SIZE_OFFSET = 12;
  /** Offset of the ordinal. */
  public static final int ORDINAL_OFFSET = 16;
  /** Offset of the first position. */
  public static final int FIRST_POSITION_OFFSET = 24;
  /** Offset of the header checksum. */
  public static final int CRC_OFFSET = 60;
  /** The segment file suffix. */
  public static final String SUFFIX = ".log";

  private SegmentLayout() {}

  /** The file name of a segment. */
  public static String fileName(int ordinal, long firstPosition) {
    return String.format("%08d-%020d%s", ordinal, firstPosition, SUFFIX);
  }
}
