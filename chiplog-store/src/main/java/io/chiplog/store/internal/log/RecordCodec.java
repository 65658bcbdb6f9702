package io.chiplog.store.internal.log;

import static io.chiplog.store.internal.log.RecordLayout.*;

import io.chiplog.api.EventData;
import io.chiplog.api.RecordedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import io.chiplog.api.NamingRules;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Writes events as records ({@link RecordLayout}) and reads them back, checking lengths and the
 * checksum. Stateless and thread-safe.
 */
public final class RecordCodec {
  private RecordCodec() {}

  /** The bytes {@code event} takes on disk, frame included. */
  public static int encodedSize(EventData event, byte @Nullable [] stream) {
    int size = PAYLOAD_OFFSET + event.type().length() + (stream == null ? 0 : stream.length);
    for (String tag : event.tags()) {
      size += Short.BYTES + utf8Length(tag);
    }
    return size + event.dataSize() + event.metadataSize();
  }

  /**
   * Appends one record at {@code out}'s position, which must have room for {@link #encodedSize}
   * bytes, and checksums it.
   */
  public static void encode(
      ByteBuffer out,
      EventData event,
      long position,
      long recordedAtMicros,
      byte @Nullable [] stream,
      long revision,
      int batchSize,
      int batchIndex,
      long commitPosition) {
    int start = out.position();
    byte[] type = event.type().getBytes(StandardCharsets.US_ASCII);
    byte[] data = event.data();
    byte[] metadata = event.metadata();
    out.position(start + POSITION_OFFSET);
    out.putLong(position).putLong(recordedAtMicros).putLong(revision);
    out.putLong(event.id().getMostSignificantBits()).putLong(event.id().getLeastSignificantBits());
    out.putInt(batchSize).putInt(batchIndex);
    out.putShort((short) type.length).putShort((short) (stream == null ? 0 : stream.length));
    out.putShort((short) event.tags().size()).putShort((short) 0);
    out.putInt(data.length).putInt(metadata.length);
    out.putLong(commitPosition);
    out.put(type);
    if (stream != null) {
      out.put(stream);
    }
    for (String tag : event.tags()) {
      byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
      out.putShort((short) bytes.length).put(bytes);
    }
    out.put(data).put(metadata);
    int end = out.position();
    int length = end - start - FRAME_SIZE;
    out.putInt(start + LENGTH_OFFSET, length);
    out.putInt(start + CRC_OFFSET, checksum(out, start + FRAME_SIZE, length));
  }

  /** The CRC32C of {@code length} bytes of {@code buffer} from {@code offset}. */
  public static int checksum(ByteBuffer buffer, int offset, int length) {
    var crc = new CRC32C();
    if (buffer.hasArray()) {
      crc.update(buffer.array(), buffer.arrayOffset() + offset, length);
    } else {
      crc.update(buffer.duplicate().limit(offset + length).position(offset));
    }
    return (int) crc.getValue();
  }

  /**
   * Reads the record starting at {@code in}'s position, whose whole frame must be in {@code in}.
   *
   * @return the record, or null when the checksum or the field lengths do not match
   */
  public static @Nullable LogRecord decode(ByteBuffer in) {
    int start = in.position();
    int length = in.getInt(start + LENGTH_OFFSET);
    if (length < PAYLOAD_OFFSET - FRAME_SIZE || length > in.remaining() - FRAME_SIZE) {
      return null;
    }
    if (checksum(in, start + FRAME_SIZE, length) != in.getInt(start + CRC_OFFSET)) {
      return null;
    }
    long position = in.getLong(start + POSITION_OFFSET);
    long recordedAtMicros = in.getLong(start + RECORDED_AT_OFFSET);
    long revision = in.getLong(start + REVISION_OFFSET);
    var id = new UUID(in.getLong(start + ID_OFFSET), in.getLong(start + ID_OFFSET + 8));
    int batchSize = in.getInt(start + BATCH_SIZE_OFFSET);
    int batchIndex = in.getInt(start + BATCH_INDEX_OFFSET);
    int typeLength = in.getShort(start + TYPE_LENGTH_OFFSET);
    int streamLength = in.getShort(start + STREAM_LENGTH_OFFSET);
    int tagCount = in.getShort(start + TAG_COUNT_OFFSET);
    int dataLength = in.getInt(start + DATA_LENGTH_OFFSET);
    int metadataLength = in.getInt(start + METADATA_LENGTH_OFFSET);
    long commitPosition = in.getLong(start + COMMIT_POSITION_OFFSET);
    if ((typeLength | streamLength | tagCount | dataLength | metadataLength) < 0) {
      return null;
    }
    try {
      byte[] array = in.array();
      int at = in.arrayOffset() + start + PAYLOAD_OFFSET;
      String type = new String(array, at, typeLength, StandardCharsets.US_ASCII);
      at += typeLength;
      String stream = streamLength == 0 ? null : new String(array, at, streamLength, StandardCharsets.US_ASCII);
      at += streamLength;
      var tags = new String[tagCount];
      for (int i = 0; i < tagCount; i++) {
        int tagLength = ((array[at] & 0xff) << 8) | (array[at + 1] & 0xff);
        tags[i] = new String(array, at + 2, tagLength, StandardCharsets.UTF_8);
        at += 2 + tagLength;
      }
      byte[] data = Arrays.copyOfRange(array, at, at + dataLength);
      at += dataLength;
      byte[] metadata = Arrays.copyOfRange(array, at, at + metadataLength);
      at += metadataLength;
      if (at != in.arrayOffset() + start + FRAME_SIZE + length) {
        return null;
      }
      // Tags were validated and written in sorted order; trust them as a checksummed record.
      var event = RecordedEvent.fromStorage(position, id, type, NamingRules.sortedTagsFromStorage(tags), stream,
          revision, Instant.EPOCH.plus(recordedAtMicros, ChronoUnit.MICROS), data, metadata);
      return new LogRecord(event, batchSize, batchIndex, commitPosition, FRAME_SIZE + length);
    } catch (RuntimeException e) {
      // A checksummed record with inconsistent fields: treat as unreadable, never as data.
      return null;
    }
  }

  /** The length field of the frame at {@code in}'s position, or -1 if the frame is cut short. */
  public static int frameLength(ByteBuffer in) {
    return in.remaining() < FRAME_SIZE ? -1 : in.getInt(in.position() + LENGTH_OFFSET);
  }

  private static int utf8Length(String s) {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }
}
