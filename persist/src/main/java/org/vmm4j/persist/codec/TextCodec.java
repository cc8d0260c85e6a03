package org.vmm4j.persist.codec;

import java.util.Objects;
import org.vmm4j.persist.codec.GoJsonException.Kind;
import tools.jackson.core.JsonToken;

/** A {@link GoText} type: a JSON string, or its zero value's own form. */
record TextCodec<T>(GoText<T> text) implements Codec {
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  @Override
  public Object read(JsonIn in) {
    JsonToken t = in.token();
    GoText.ZeroForm form = text.zeroForm();
    if (t == JsonToken.VALUE_NULL && form == GoText.ZeroForm.NULL) {
      return text.zero();
    }
    if (t == JsonToken.START_OBJECT && form == GoText.ZeroForm.EMPTY_OBJECT) {
      if (in.advance() != JsonToken.END_OBJECT) {
        String key = in.name();
        in.pushField(key);
        throw in.error(
            Kind.UNKNOWN_FIELD,
            JsonIn.quote(key),
            "unknown field " + JsonIn.quote(key) + " in " + text.expected());
      }
      return text.zero();
    }
    if (t != JsonToken.VALUE_STRING) {
      throw in.wrongType(text.expected());
    }
    String s = in.text();
    try {
      return text.parse(s);
    } catch (IllegalArgumentException e) {
      throw in.error(Kind.BAD_VALUE, JsonIn.quote(s), e.getMessage());
    }
  }

  @Override
  public void write(Object value, GoWriter out) {
    T v = text.type().cast(value);
    GoText.ZeroForm form = text.zeroForm();
    if (form != GoText.ZeroForm.TEXT && Objects.equals(v, text.zero())) {
      if (form == GoText.ZeroForm.NULL) {
        PointerCodec.writeNull(out);
      } else {
        out.raw(EMPTY_OBJECT);
      }
      return;
    }
    String s;
    try {
      s = text.format(v);
    } catch (IllegalArgumentException e) {
      throw new EncodeFailure(Kind.OUT_OF_RANGE, String.valueOf(value), e.getMessage());
    }
    out.string(s);
  }

  @Override
  public Object zero() {
    return text.zero();
  }

  @Override
  public boolean isEmpty(Object value) {
    return text.isEmpty(text.type().cast(value));
  }

  @Override
  public String goName() {
    return text.goName();
  }
}
