/**
 * The JSON of HTTP API v1 (DESIGN §4), in one place so that the server and the Java client can
 * never disagree: how events, appends, queries, read options and errors look on the wire.
 * Readers are strict (unknown fields, wrong types and negative positions are {@link
 * io.chiplog.protocol.MalformedRequestException}s naming the field); writers stream through a
 * Jackson {@code JsonGenerator}. Everything here is stateless and thread-safe.
 */
@NullMarked
package io.chiplog.protocol;

import org.jspecify.annotations.NullMarked;
