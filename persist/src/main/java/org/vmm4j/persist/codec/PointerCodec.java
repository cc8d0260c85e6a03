package org.vmm4j.persist.codec;

import tools.jackson.core.JsonToken;

/** A Go pointer: null is nil, anything else is the pointee. */
record PointerCodec(Codec target) implements Codec {
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  @Override
  public Object read(JsonIn in) {
    return in.token() == JsonToken.VALUE_NULL ? null : target.read(in);
  }

  @Override
  public void write(Object value, GoWriter out) {
    if (value == null) {
      out.raw(NULL);
    } else {
      target.write(value, out);
    }
  }

  @Override
  public Object zero() {
    return null;
  }

  @Override
  public boolean isEmpty(Object value) {
    return value == null;
  }

  @Override
  public String goName() {
    return "*" + target.goName();
  }

  static void writeNull(GoWriter out) {
    out.raw(NULL);
  }
}
