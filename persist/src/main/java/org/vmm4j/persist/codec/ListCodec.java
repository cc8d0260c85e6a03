package org.vmm4j.persist.codec;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonToken;

/** A Go slice: null is nil, {@code []} is empty. Null elements are refused. */
record ListCodec(Codec element) implements Codec {

  @Override
  public Object read(JsonIn in) {
    JsonToken t = in.token();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw in.wrongType("an array (Go " + goName() + ")");
    }
    List<Object> list = new ArrayList<>();
    int i = 0;
    while (in.advance() != JsonToken.END_ARRAY) {
      in.pushIndex(i++);
      if (in.token() == JsonToken.VALUE_NULL) {
        throw in.wrongType(element.goName());
      }
      list.add(element.read(in));
      in.pop();
    }
    return list;
  }

  @Override
  public void write(Object value, GoWriter out) {
    if (value == null) {
      PointerCodec.writeNull(out);
      return;
    }
    List<?> list = (List<?>) value;
    out.raw('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.raw(',');
      }
      try {
        element.write(list.get(i), out);
      } catch (EncodeFailure f) {
        throw f.prepend("[" + i + "]");
      }
    }
    out.raw(']');
  }

  @Override
  public Object zero() {
    return null;
  }

  @Override
  public boolean isEmpty(Object value) {
    return value == null || ((List<?>) value).isEmpty();
  }

  @Override
  public String goName() {
    return "[]" + element.goName();
  }
}
