package org.vmm4j.persist.codec;

import java.util.LinkedHashSet;
import java.util.Set;
import org.vmm4j.persist.codec.GoJsonException.Kind;
import tools.jackson.core.JsonToken;

/**
 * A Go {@code map[int]struct{}} as a Java {@code Set<Long>}: {@code {"0":{},"10":{},"2":{}}}; null
 * is nil.
 */
record IntSetCodec(GoType keyType) implements Codec {

  @Override
  public Object read(JsonIn in) {
    JsonToken t = in.token();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw in.wrongType("an object (Go " + goName() + ")");
    }
    Set<Long> set = new LinkedHashSet<>();
    while (in.advance() == JsonToken.PROPERTY_NAME) {
      String key = in.name();
      in.pushMapKey(key);
      Long k = (Long) MapKeys.parse(in, key, keyType);
      if (!set.add(k)) {
        throw in.error(
            Kind.DUPLICATE_FIELD, JsonIn.quote(key), "duplicate map key " + JsonIn.quote(key));
      }
      if (in.advance() != JsonToken.START_OBJECT) {
        throw in.wrongType("{} (Go struct{})");
      }
      if (in.advance() != JsonToken.END_OBJECT) {
        String field = in.name();
        in.pushField(field);
        throw in.error(
            Kind.UNKNOWN_FIELD,
            JsonIn.quote(field),
            "unknown field " + JsonIn.quote(field) + " in Go struct{}");
      }
      in.pop();
    }
    return set;
  }

  @Override
  public void write(Object v, GoWriter out) {
    if (v == null) {
      PointerCodec.writeNull(out);
      return;
    }
    out.raw('{');
    boolean first = true;
    for (String key : MapKeys.sorted((Set<?>) v, keyType)) {
      if (!first) {
        out.raw(',');
      }
      first = false;
      out.string(key);
      out.raw(':');
      out.raw('{');
      out.raw('}');
    }
    out.raw('}');
  }

  @Override
  public Object zero() {
    return null;
  }

  @Override
  public boolean isEmpty(Object v) {
    return v == null || ((Set<?>) v).isEmpty();
  }

  @Override
  public String goName() {
    return "map[" + keyType.goName() + "]struct{}";
  }
}
