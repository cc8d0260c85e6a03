package org.vmm4j.persist.codec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmm4j.persist.codec.GoJsonException.Kind;
import tools.jackson.core.JsonToken;

/** A Go map with string or integer keys: null is nil, {@code {}} is empty; keys sorted on write. */
record MapCodec(GoType keyType, Codec value) implements Codec {

  @Override
  public Object read(JsonIn in) {
    JsonToken t = in.token();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw in.wrongType("an object (Go " + goName() + ")");
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    while (in.advance() == JsonToken.PROPERTY_NAME) {
      String key = in.name();
      in.pushMapKey(key);
      Object k = MapKeys.parse(in, key, keyType);
      if (map.containsKey(k)) {
        throw in.error(
            Kind.DUPLICATE_FIELD, JsonIn.quote(key), "duplicate map key " + JsonIn.quote(key));
      }
      in.advance();
      if (in.token() == JsonToken.VALUE_NULL) {
        throw in.wrongType(value.goName());
      }
      map.put(k, value.read(in));
      in.pop();
    }
    return map;
  }

  @Override
  public void write(Object v, GoWriter out) {
    if (v == null) {
      PointerCodec.writeNull(out);
      return;
    }
    Map<?, ?> map = (Map<?, ?>) v;
    out.raw('{');
    boolean first = true;
    for (String key : MapKeys.sorted(map.keySet(), keyType)) {
      if (!first) {
        out.raw(',');
      }
      first = false;
      out.string(key);
      out.raw(':');
      try {
        value.write(map.get(MapKeys.javaKey(key, keyType)), out);
      } catch (EncodeFailure f) {
        throw f.prepend("[" + JsonIn.quote(key) + "]");
      }
    }
    out.raw('}');
  }

  @Override
  public Object zero() {
    return null;
  }

  @Override
  public boolean isEmpty(Object v) {
    return v == null || ((Map<?, ?>) v).isEmpty();
  }

  @Override
  public String goName() {
    return "map[" + (keyType == GoType.NONE ? "string" : keyType.goName()) + "]" + value.goName();
  }
}
