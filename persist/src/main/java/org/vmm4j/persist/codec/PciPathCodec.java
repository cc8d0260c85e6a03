package org.vmm4j.persist.codec;

import org.vmm4j.persist.PciPath;
import org.vmm4j.persist.StateFormatException.Kind;
import tools.jackson.core.JsonToken;

/**
 * {@link PciPath} (DESIGN.md decision 1): a known path is its string ({@code "02/03"}), the nil
 * path is {@code {}} as Kata's Go code writes every path; both are read. The string must be in
 * canonical form; {@code ""} is refused (the nil path is {@code {}}).
 */
record PciPathCodec() implements Codec {
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  @Override
  public Object read(JsonIn in) {
    JsonToken t = in.token();
    if (t == JsonToken.START_OBJECT) {
      if (in.advance() != JsonToken.END_OBJECT) {
        String key = in.name();
        in.pushField(key);
        throw in.error(
            Kind.UNKNOWN_FIELD,
            JsonIn.quote(key),
            "unknown field " + JsonIn.quote(key) + " in a PCI path (only {} or \"02/03\")");
      }
      return PciPath.NIL;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw in.wrongType("a PCI path (\"02/03\", or {} when unknown)");
    }
    String text = in.text();
    if (text.isEmpty()) {
      throw in.error(Kind.BAD_VALUE, "\"\"", "empty PCI path: an unknown path is written {}");
    }
    try {
      return PciPath.parse(text);
    } catch (IllegalArgumentException e) {
      throw in.error(Kind.BAD_VALUE, JsonIn.quote(text), "bad " + e.getMessage());
    }
  }

  @Override
  public void write(Object value, GoWriter out) {
    PciPath p = (PciPath) value;
    if (p.isNil()) {
      out.raw(EMPTY_OBJECT);
    } else {
      out.string(p.toString());
    }
  }

  @Override
  public Object zero() {
    return PciPath.NIL;
  }

  @Override
  public boolean isEmpty(Object value) {
    return false; // a struct in Go
  }

  @Override
  public String goName() {
    return "PciPath";
  }
}
