package org.vmm4j.persist.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vmm4j.persist.codec.GoJsonException.Kind;
import tools.jackson.core.JsonToken;

/**
 * A Go struct mirrored by a record: fields in declaration order, {@code omitempty} where tagged,
 * embedded structs inline. Reading refuses unknown and duplicate keys; a missing key is Go's zero
 * value.
 */
final class StructCodec implements Codec {
  private static final Object UNSET = new Object();

  /** One record component. {@code embedded} is set for an embedded Go struct. */
  record Field(
      String json,
      byte[] key,
      Codec codec,
      boolean omitEmpty,
      StructCodec embedded,
      boolean pointer,
      Method getter) {}

  /** Where a JSON key goes: component indices from this struct down through embedded ones. */
  private record Route(int ordinal, int[] indices, Field leaf) {}

  private final String name;
  private final Field[] fields;
  private final Constructor<?> constructor;
  private final Map<String, Route> routes = new HashMap<>();
  private final Object zero;

  StructCodec(String name, List<Field> fields, Constructor<?> constructor) {
    this.name = name;
    this.fields = fields.toArray(new Field[0]);
    this.constructor = constructor;
    for (int i = 0; i < this.fields.length; i++) {
      Field f = this.fields[i];
      if (f.embedded() == null) {
        addRoute(f.json(), new int[] {i}, f);
      } else {
        for (Map.Entry<String, Route> e : f.embedded().routes.entrySet()) {
          int[] inner = e.getValue().indices();
          int[] idx = new int[inner.length + 1];
          idx[0] = i;
          System.arraycopy(inner, 0, idx, 1, inner.length);
          addRoute(e.getKey(), idx, e.getValue().leaf());
        }
      }
    }
    Object[] zeros = new Object[this.fields.length];
    Arrays.fill(zeros, UNSET);
    this.zero = build(zeros);
  }

  private void addRoute(String key, int[] indices, Field leaf) {
    if (routes.putIfAbsent(key, new Route(routes.size(), indices, leaf)) != null) {
      throw new IllegalStateException(name + ": two fields with JSON key " + key);
    }
  }

  static byte[] keyBytes(String json) {
    GoWriter w = new GoWriter(json.length() + 3);
    w.string(json);
    w.raw(':');
    return w.toByteArray();
  }

  @Override
  public Object read(JsonIn in) {
    if (in.token() != JsonToken.START_OBJECT) {
      throw in.wrongType("an object (Go " + name + ")");
    }
    Object[] values = new Object[fields.length];
    Arrays.fill(values, UNSET);
    boolean[] seen = new boolean[routes.size()];
    while (in.advance() == JsonToken.PROPERTY_NAME) {
      String key = in.name();
      in.pushField(key);
      Route r = routes.get(key);
      if (r == null) {
        throw in.error(
            Kind.UNKNOWN_FIELD,
            JsonIn.quote(key),
            "unknown field " + JsonIn.quote(key) + " in " + name);
      }
      if (seen[r.ordinal()]) {
        throw in.error(
            Kind.DUPLICATE_FIELD,
            JsonIn.quote(key),
            "duplicate field " + JsonIn.quote(key) + " in " + name);
      }
      seen[r.ordinal()] = true;
      in.advance();
      store(values, r.indices(), 0, r.leaf().codec().read(in));
      in.pop();
    }
    return build(values);
  }

  private void store(Object[] values, int[] indices, int level, Object v) {
    int i = indices[level];
    if (level == indices.length - 1) {
      values[i] = v;
      return;
    }
    StructCodec inner = fields[i].embedded();
    if (values[i] == UNSET) {
      Object[] sub = new Object[inner.fields.length];
      Arrays.fill(sub, UNSET);
      values[i] = sub;
    }
    inner.store((Object[]) values[i], indices, level + 1, v);
  }

  private Object build(Object[] values) {
    for (int i = 0; i < fields.length; i++) {
      Field f = fields[i];
      if (f.embedded() != null) {
        if (values[i] == UNSET) {
          values[i] = f.pointer() ? null : f.embedded().zero;
        } else {
          values[i] = f.embedded().build((Object[]) values[i]);
        }
      } else if (values[i] == UNSET) {
        values[i] = f.codec().zero();
      }
    }
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw rethrow(e, "constructing " + name);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("constructing " + name, e);
    }
  }

  @Override
  public void write(Object value, GoWriter out) {
    out.raw('{');
    writeFields(value, out, true);
    out.raw('}');
  }

  private boolean writeFields(Object record, GoWriter out, boolean first) {
    for (Field f : fields) {
      Object v = get(f, record);
      if (f.embedded() != null) {
        if (v != null) {
          first = f.embedded().writeFields(v, out, first);
        }
        continue;
      }
      if (f.omitEmpty() && f.codec().isEmpty(v)) {
        continue;
      }
      if (!first) {
        out.raw(',');
      }
      first = false;
      out.raw(f.key());
      try {
        f.codec().write(v, out);
      } catch (EncodeFailure e) {
        throw e.prepend("." + f.json());
      }
    }
    return first;
  }

  private Object get(Field f, Object record) {
    try {
      return f.getter().invoke(record);
    } catch (InvocationTargetException e) {
      throw rethrow(e, "reading " + name + "." + f.json());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("reading " + name + "." + f.json(), e);
    }
  }

  private static RuntimeException rethrow(InvocationTargetException e, String what) {
    Throwable c = e.getCause();
    if (c instanceof RuntimeException r) {
      return r;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(what, c);
  }

  @Override
  public Object zero() {
    return zero;
  }

  @Override
  public boolean isEmpty(Object value) {
    return false; // omitempty never drops a struct value
  }

  @Override
  public String goName() {
    return name;
  }

  /** The JSON keys in Go's order, embedded ones inline (for tests and detection). */
  List<String> keys() {
    return routes.entrySet().stream()
        .sorted(Map.Entry.comparingByValue((a, b) -> Integer.compare(a.ordinal(), b.ordinal())))
        .map(Map.Entry::getKey)
        .toList();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
