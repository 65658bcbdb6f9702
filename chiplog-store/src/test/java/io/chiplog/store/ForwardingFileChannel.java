package io.chiplog.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that passes everything to a real one; the failure-injecting file layers of the
 * tests override the few operations they break. Relative writes go through the positional
 * {@link #write(ByteBuffer, long)}, so overriding that one catches every write.
 */
class ForwardingFileChannel extends FileChannel {
  protected final FileChannel real;

  ForwardingFileChannel(FileChannel real) {
    this.real = real;
  }

  @Override
  public int write(ByteBuffer source, long position) throws IOException {
    return real.write(source, position);
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    int written = write(source, real.position());
    real.position(real.position() + written);
    return written;
  }

  @Override
  public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
    throw new UnsupportedOperationException("gathering writes are not used by the store");
  }

  @Override
  public void force(boolean metaData) throws IOException {
    real.force(metaData);
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    real.truncate(size);
    return this;
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    return real.read(destination);
  }

  @Override
  public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
    return real.read(destinations, offset, length);
  }

  @Override
  public int read(ByteBuffer destination, long position) throws IOException {
    return real.read(destination, position);
  }

  @Override
  public long position() throws IOException {
    return real.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    real.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return real.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return real.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
    throw new UnsupportedOperationException("not used by the store");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return real.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return real.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return real.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    real.close();
  }
}
