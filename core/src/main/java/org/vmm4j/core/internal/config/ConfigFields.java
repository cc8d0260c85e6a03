package org.vmm4j.core.internal.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * The fields of {@link org.vmm4j.core.api.HypervisorConfig} by their Go names, read from the
 * records themselves: {@link #PERSISTED} are the components of Kata's persisted {@code
 * HypervisorConfig}, {@link #LIVE} those of {@link LiveSettings}, each named by its {@link
 * GoField}. Nothing here lists a field by hand: a component added to either record is a field of
 * the JSON form, settable by name ({@link Draft}), once its Java type has a {@link Kind}.
 */
public final class ConfigFields {

  /** How a field is encoded in JSON, from its Java type. */
  public enum Kind {
    /** A Go integer ({@code long}, {@link Field#goType()} its range). */
    INTEGER,
    BOOL,
    STRING,
    /** A Go {@code []string}: an array of strings, or null for nil. */
    STRINGS,
    /** Kata's {@code []Param}: an array of {@code {"Key":..,"Value":..}}, or a string. */
    PARAMS,
    /** {@code "auto"}, {@code "kvm"} or {@code "tcg"}. */
    ACCELERATOR
  }

  /**
   * One field.
   *
   * @param name the Go (and JSON) name
   * @param kind its encoding
   * @param goType the Go integer type of an {@link Kind#INTEGER}, else {@link GoType#NONE}
   * @param persisted a component of Kata's record (else of {@link LiveSettings})
   * @param index the component's position in its record
   * @param accessor the component's accessor
   */
  public record Field(
      String name, Kind kind, GoType goType, boolean persisted, int index, Method accessor) {

    /**
     * This field's value (a {@code Long}, {@code Boolean}, ..., or null) in a config: Kata's fields
     * {@code kata}, the live settings {@code live}.
     */
    public Object get(org.vmm4j.persist.HypervisorConfig kata, LiveSettings live) {
      return read(accessor, persisted ? kata : live);
    }
  }

  /** The components of Kata's persisted {@code HypervisorConfig}, in its order. */
  public static final List<Field> PERSISTED =
      fields(org.vmm4j.persist.HypervisorConfig.class, true);

  /** The components of {@link LiveSettings}, in its order. */
  public static final List<Field> LIVE = fields(LiveSettings.class, false);

  /** {@link #PERSISTED} then {@link #LIVE}. */
  public static final List<Field> ALL = concat(PERSISTED, LIVE);

  private static final Map<String, Field> BY_NAME = byName(ALL);
  private static final Constructor<org.vmm4j.persist.HypervisorConfig> KATA =
      canonical(org.vmm4j.persist.HypervisorConfig.class);
  private static final Constructor<LiveSettings> LIVE_SETTINGS = canonical(LiveSettings.class);

  private ConfigFields() {}

  /** The field named {@code name} exactly, or null. */
  public static Field byName(String name) {
    return BY_NAME.get(name);
  }

  /**
   * The field named {@code name} exactly.
   *
   * @throws IllegalArgumentException when there is none
   */
  public static Field field(String name) {
    Field f = BY_NAME.get(name);
    if (f == null) {
      throw new IllegalArgumentException("HypervisorConfig has no field " + name);
    }
    return f;
  }

  /**
   * A config being built field by field: starts from a config's two records, sets fields, and
   * builds new records ({@code new HypervisorConfig(draft.kata(), draft.live())}). Each value must
   * have its field's Java type ({@code Long}, {@code Boolean}, {@code String}, a list, {@link
   * Accelerator}); a Kata list may be null (Go's nil).
   */
  public static final class Draft {
    private final Object[] kata;
    private final Object[] live;

    /** A draft holding the values of Kata's fields {@code kata} and the settings {@code live}. */
    public Draft(org.vmm4j.persist.HypervisorConfig kata, LiveSettings live) {
      this.kata = values(PERSISTED, kata);
      this.live = values(LIVE, live);
    }

    /**
     * Sets {@code field} to {@code value}.
     *
     * @throws IllegalArgumentException when {@code value} is not of the field's type
     */
    public Draft set(Field field, Object value) {
      if (!accepts(field, value)) {
        throw new IllegalArgumentException(
            "HypervisorConfig." + field.name() + " (" + field.kind() + ") cannot be " + value);
      }
      (field.persisted() ? kata : live)[field.index()] = value;
      return this;
    }

    /** The value of {@code field} set so far. */
    public Object get(Field field) {
      return (field.persisted() ? kata : live)[field.index()];
    }

    /** Kata's fields as set; may be called repeatedly. */
    public org.vmm4j.persist.HypervisorConfig kata() {
      return construct(KATA, kata);
    }

    /** The live settings as set; may be called repeatedly. */
    public LiveSettings live() {
      return construct(LIVE_SETTINGS, live);
    }
  }

  private static boolean accepts(Field f, Object v) {
    return switch (f.kind()) {
      case INTEGER -> v instanceof Long;
      case BOOL -> v instanceof Boolean;
      case STRING -> v instanceof String;
      case STRINGS, PARAMS -> v == null || v instanceof List;
      case ACCELERATOR -> v instanceof Accelerator;
    };
  }

  private static List<Field> fields(Class<? extends Record> type, boolean persisted) {
    RecordComponent[] components = type.getRecordComponents();
    List<Field> out = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      GoField go = c.getAnnotation(GoField.class);
      if (go == null || go.embedded() || go.pointer() || go.omitEmpty()) {
        throw new ExceptionInInitializerError(
            type.getName() + "." + c.getName() + ": a config field needs a plain @GoField");
      }
      Kind kind = kind(c);
      if ((kind == Kind.INTEGER) == (go.type() == GoType.NONE)) {
        throw new ExceptionInInitializerError(
            type.getName() + "." + c.getName() + ": a long needs its GoType, nothing else has one");
      }
      out.add(new Field(go.value(), kind, go.type(), persisted, i, c.getAccessor()));
    }
    return List.copyOf(out);
  }

  private static Kind kind(RecordComponent c) {
    Class<?> t = c.getType();
    if (t == long.class) {
      return Kind.INTEGER;
    } else if (t == boolean.class) {
      return Kind.BOOL;
    } else if (t == String.class) {
      return Kind.STRING;
    } else if (t == Accelerator.class) {
      return Kind.ACCELERATOR;
    } else if (t == List.class && c.getGenericType() instanceof ParameterizedType p) {
      Type item = p.getActualTypeArguments()[0];
      if (item == String.class) {
        return Kind.STRINGS;
      } else if (item == KernelParam.class) {
        return Kind.PARAMS;
      }
    }
    throw new ExceptionInInitializerError(
        c.getDeclaringRecord().getName()
            + "."
            + c.getName()
            + ": "
            + c.getGenericType()
            + " has no JSON form in ConfigFields.Kind");
  }

  private static Object[] values(List<Field> fields, Object record) {
    Object[] out = new Object[fields.size()];
    for (Field f : fields) {
      out[f.index()] = read(f.accessor(), record);
    }
    return out;
  }

  private static Object read(Method accessor, Object record) {
    try {
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("HypervisorConfig: cannot read " + accessor.getName(), e);
    }
  }

  private static <T> T construct(Constructor<T> constructor, Object[] args) {
    try {
      return constructor.newInstance(args.clone());
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(constructor.getName() + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(constructor.getName() + ": " + e, e);
    }
  }

  private static <T extends Record> Constructor<T> canonical(Class<T> type) {
    Class<?>[] types =
        Arrays.stream(type.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    try {
      return type.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static List<Field> concat(List<Field> a, List<Field> b) {
    List<Field> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static Map<String, Field> byName(List<Field> fields) {
    Map<String, Field> m = new LinkedHashMap<>();
    for (Field f : fields) {
      if (m.put(f.name(), f) != null) {
        throw new ExceptionInInitializerError("two HypervisorConfig fields named " + f.name());
      }
    }
    return Map.copyOf(m);
  }
}
