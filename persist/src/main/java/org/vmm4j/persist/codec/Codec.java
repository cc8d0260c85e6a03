package org.vmm4j.persist.codec;

/**
 * Reads and writes one Go type. {@link #read} starts on the value's first token and ends on its
 * last; it never coerces.
 */
sealed interface Codec
    permits ScalarCodec, PointerCodec, ListCodec, MapCodec, IntSetCodec, StructCodec, TextCodec {

  Object read(JsonIn in);

  void write(Object value, GoWriter out);

  /** Go's zero value of the type. */
  Object zero();

  /** Whether {@code omitempty} drops the value (false, 0, "", nil, empty slice or map). */
  boolean isEmpty(Object value);

  /** The Go type, for messages. */
  String goName();
}
