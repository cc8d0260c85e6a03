package org.vmm4j.persist.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives a codec from each schema record's components and their {@link GoField} annotations; a
 * component of a {@link GoText} type gets that type's codec.
 */
final class Codecs {
  private final Map<Class<?>, StructCodec> structs = new ConcurrentHashMap<>();
  private final Map<Class<?>, TextCodec<?>> texts = new HashMap<>();

  Codecs(List<GoText<?>> textTypes) {
    for (GoText<?> t : textTypes) {
      if (texts.put(t.type(), new TextCodec<>(t)) != null) {
        throw new IllegalArgumentException("two Go text mappings for " + t.type().getName());
      }
    }
  }

  StructCodec struct(Class<?> type) {
    StructCodec c = structs.get(type);
    if (c == null) {
      structs.putIfAbsent(type, build(type));
      c = structs.get(type);
    }
    return c;
  }

  private StructCodec build(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a schema record");
    }
    RecordComponent[] comps = type.getRecordComponents();
    List<StructCodec.Field> fields = new ArrayList<>();
    Class<?>[] params = new Class<?>[comps.length];
    try {
      for (int i = 0; i < comps.length; i++) {
        params[i] = comps[i].getType();
        fields.add(field(type, comps[i]));
      }
      Constructor<?> ctor = type.getDeclaredConstructor(params);
      return new StructCodec(type.getSimpleName(), fields, ctor);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("schema record " + type.getName(), e);
    }
  }

  private StructCodec.Field field(Class<?> owner, RecordComponent rc) {
    GoField gf = rc.getAnnotation(GoField.class);
    if (gf == null) {
      throw new IllegalStateException(owner.getName() + "." + rc.getName() + " has no @GoField");
    }
    java.lang.reflect.Method getter = rc.getAccessor();
    StructCodec embedded = gf.embedded() ? struct(rc.getType()) : null;
    Codec codec = embedded != null ? embedded : codec(owner, rc, gf);
    return new StructCodec.Field(
        gf.value(),
        StructCodec.keyBytes(gf.value()),
        codec,
        gf.omitEmpty(),
        embedded,
        gf.pointer(),
        getter);
  }

  private Codec codec(Class<?> owner, RecordComponent rc, GoField gf) {
    Class<?> raw = rc.getType();
    String where = owner.getSimpleName() + "." + rc.getName();
    if (raw == long.class) {
      return ScalarCodec.integer(intType(gf, where));
    }
    if (raw == Long.class) {
      return new PointerCodec(ScalarCodec.integer(intType(gf, where)));
    }
    if (raw == Boolean.class) {
      return new PointerCodec(ScalarCodec.BOOL);
    }
    if (raw == List.class) {
      return new ListCodec(element(typeArg(rc, 0), where));
    }
    if (raw == Map.class) {
      GoType keys = typeArg(rc, 0) == String.class ? GoType.NONE : intType(gf, where);
      return new MapCodec(keys, element(typeArg(rc, 1), where));
    }
    if (raw == Set.class) {
      return new IntSetCodec(intType(gf, where));
    }
    if (raw.isRecord() && gf.pointer()) {
      return new PointerCodec(struct(raw));
    }
    return element(raw, where);
  }

  private Codec element(Type t, String where) {
    if (t == String.class) {
      return ScalarCodec.STRING;
    }
    if (t == boolean.class) {
      return ScalarCodec.BOOL;
    }
    TextCodec<?> text = texts.get(t);
    if (text != null) {
      return text;
    }
    if (t instanceof Class<?> c && c.isRecord()) {
      return struct(c);
    }
    throw new IllegalStateException(where + ": no Go mapping for " + t);
  }

  private static GoType intType(GoField gf, String where) {
    if (gf.type() == GoType.NONE) {
      throw new IllegalStateException(where + ": integer component without a Go type");
    }
    return gf.type();
  }

  private static Type typeArg(RecordComponent rc, int i) {
    return ((ParameterizedType) rc.getGenericType()).getActualTypeArguments()[i];
  }
}
