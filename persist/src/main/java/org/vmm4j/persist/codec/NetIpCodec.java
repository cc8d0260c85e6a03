package org.vmm4j.persist.codec;

import org.vmm4j.persist.NetIp;
import org.vmm4j.persist.StateFormatException.Kind;
import tools.jackson.core.JsonToken;

/** Go's {@code net.IP}: its text, {@code ""} for nil. */
record NetIpCodec() implements Codec {

  @Override
  public Object read(JsonIn in) {
    if (in.token() != JsonToken.VALUE_STRING) {
      throw in.wrongType("an IP address string (Go net.IP)");
    }
    String text = in.text();
    try {
      return NetIp.parse(text);
    } catch (IllegalArgumentException e) {
      throw in.error(Kind.BAD_VALUE, JsonIn.quote(text), e.getMessage());
    }
  }

  @Override
  public void write(Object value, GoWriter out) {
    out.string(value.toString());
  }

  @Override
  public Object zero() {
    return NetIp.NIL;
  }

  @Override
  public boolean isEmpty(Object value) {
    return ((NetIp) value).isNil();
  }

  @Override
  public String goName() {
    return "net.IP";
  }
}
