package io.chiplog.store.internal.log;

import static io.chiplog.store.internal.log.RecordLayout.*;

import io.chiplog.api.EventData;
import io.chiplog.api.RecordedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
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
      int batchIndex) {
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
    crc.update(buffer.duplicate().limit(offset + length).position(offset));
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
    var b = in.duplicate().position(start + POSITION_OFFSET);
    long position = b.getLong();
    long recordedAtMicros = b.getLong();
    long revision = b.getLong();
    var id = new UUID(b.getLong(), b.getLong());
    int batchSize = b.getInt();
    int batchIndex = b.getInt();
    int typeLength = b.getShort();
    int streamLength = b.getShort();
    int tagCount = b.getShort();
    b.getShort();
    int dataLength = b.getInt();
    int metadataLength = b.getInt();
    try {
      String type = ascii(b, typeLength);
      String stream = streamLength == 0 ? null : ascii(b, streamLength);
      var tags = new HashSet<String>(tagCount * 2);
      for (int i = 0; i < tagCount; i++) {
        tags.add(utf8(b, b.getShort()));
      }
      byte[] data = new byte[dataLength];
      b.get(data);
      byte[] metadata = new byte[metadataLength];
      b.get(metadata);
      if (b.position() != start + FRAME_SIZE + length) {
        return null;
      }
      var event = new RecordedEvent(position, id, type, tags, stream, revision,
          Instant.EPOCH.plus(recordedAtMicros, ChronoUnit.MICROS), data, metadata);
      return new LogRecord(event, batchSize, batchIndex, FRAME_SIZE + length);
    } catch (RuntimeException e) {
      // A checksummed record with inconsistent fields: treat as unreadable, never as data.
      return null;
    }
  }

  /** The length field of the frame at {@code in}'s position, or -1 if the frame is cut short. */
  public static int frameLength(ByteBuffer in) {
    return in.remaining() < FRAME_SIZE ? -1 : in.getInt(in.position() + LENGTH_OFFSET);
  }

  private static String ascii(ByteBuffer b, int length) {
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static String utf8(ByteBuffer b, int length) {
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
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
