package org.vmm4j.persist.codec;

import java.util.Base64;
import org.vmm4j.persist.IpMask;
import org.vmm4j.persist.StateFormatException.Kind;
import tools.jackson.core.JsonToken;

/** Go's {@code net.IPMask} ({@code []byte}): base64, null for nil. */
record IpMaskCodec() implements Codec {

  @Override
  public Object read(JsonIn in) {
    JsonToken t = in.token();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw in.wrongType("a base64 string (Go net.IPMask)");
    }
    String text = in.text();
    try {
      if (text.length() % 4 != 0) {
        throw new IllegalArgumentException("padding missing (Go's StdEncoding requires it)");
      }
      return IpMask.of(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw in.error(Kind.BAD_VALUE, JsonIn.quote(text), "bad base64 mask: " + e.getMessage());
    }
  }

  @Override
  public void write(Object value, GoWriter out) {
    if (value == null) {
      PointerCodec.writeNull(out);
    } else {
      out.string(Base64.getEncoder().encodeToString(((IpMask) value).bytes()));
    }
  }

  @Override
  public Object zero() {
    return null;
  }

  @Override
  public boolean isEmpty(Object value) {
    return value == null || ((IpMask) value).bytes().length == 0;
  }

  @Override
  public String goName() {
    return "net.IPMask";
  }
}
