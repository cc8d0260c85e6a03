package org.vmm4j.persist.codec;

import java.time.OffsetDateTime;
import org.vmm4j.persist.GoTime;
import org.vmm4j.persist.StateFormatException.Kind;
import tools.jackson.core.JsonToken;

/** Go's {@code time.Time}: an RFC 3339 string (see {@link GoTime}). */
record TimeCodec() implements Codec {

  @Override
  public Object read(JsonIn in) {
    if (in.token() != JsonToken.VALUE_STRING) {
      throw in.wrongType("an RFC 3339 time string (Go time.Time)");
    }
    String text = in.text();
    try {
      return GoTime.parse(text);
    } catch (IllegalArgumentException e) {
      throw in.error(Kind.BAD_VALUE, JsonIn.quote(text), "bad time: " + e.getMessage());
    }
  }

  @Override
  public void write(Object value, GoWriter out) {
    try {
      out.string(GoTime.format((OffsetDateTime) value));
    } catch (IllegalArgumentException e) {
      throw new EncodeFailure(Kind.OUT_OF_RANGE, value.toString(), e.getMessage());
    }
  }

  @Override
  public Object zero() {
    return GoTime.ZERO;
  }

  @Override
  public boolean isEmpty(Object value) {
    return false; // a struct: omitempty never drops it
  }

  @Override
  public String goName() {
    return "time.Time";
  }
}
