package org.vmm4j.core.internal.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.HypervisorConfigBuilder;
import org.vmm4j.persist.codec.GoField;

/**
 * The live {@link HypervisorConfig} to and from the persisted {@code persistapi.HypervisorConfig},
 * through the single field table {@link ConfigFields#PERSISTED}: its i-th field is the i-th
 * component of the persisted record (checked when this class loads, by Go name and Java type).
 *
 * <p>Lists: the live config holds Go's nil as an empty list, so an empty live list is persisted as
 * {@code null} (what Go writes for a nil slice) and a persisted {@code null} or {@code []} becomes
 * an empty live list. The live-only fields ({@link ConfigFields#LIVE}) are not persisted and come
 * back at their zero values ({@code Accelerator} {@code auto}).
 */
public final class PersistedConfig {
  private static final RecordComponent[] COMPONENTS =
      org.vmm4j.persist.HypervisorConfig.class.getRecordComponents();
  private static final Constructor<org.vmm4j.persist.HypervisorConfig> CONSTRUCTOR = constructor();

  private PersistedConfig() {}

  /** The persisted form of {@code config} (every persisted field; live-only fields dropped). */
  public static org.vmm4j.persist.HypervisorConfig toPersisted(HypervisorConfig config) {
    Object[] args = new Object[COMPONENTS.length];
    for (int i = 0; i < args.length; i++) {
      ConfigFields.Field f = ConfigFields.PERSISTED.get(i);
      Object v = f.get().apply(config);
      args[i] = f.kind() == ConfigFields.Kind.STRINGS && ((List<?>) v).isEmpty() ? null : v;
    }
    try {
      return CONSTRUCTOR.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("persisted HypervisorConfig: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("persisted HypervisorConfig: " + e, e);
    }
  }

  /** The live config holding {@code persisted}'s values (live-only fields at their zero values). */
  public static HypervisorConfig fromPersisted(org.vmm4j.persist.HypervisorConfig persisted) {
    HypervisorConfigBuilder b = HypervisorConfig.builder();
    for (int i = 0; i < COMPONENTS.length; i++) {
      ConfigFields.Field f = ConfigFields.PERSISTED.get(i);
      Object v = read(COMPONENTS[i], persisted);
      f.set().accept(b, v == null && f.kind() == ConfigFields.Kind.STRINGS ? List.of() : v);
    }
    return b.build();
  }

  private static Object read(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("persisted HypervisorConfig." + c.getName() + ": " + e, e);
    }
  }

  private static Constructor<org.vmm4j.persist.HypervisorConfig> constructor() {
    List<ConfigFields.Field> fields = ConfigFields.PERSISTED;
    if (COMPONENTS.length != fields.size()) {
      throw new ExceptionInInitializerError(
          "persisted HypervisorConfig has "
              + COMPONENTS.length
              + " fields, ConfigFields.PERSISTED "
              + fields.size());
    }
    Class<?>[] types = new Class<?>[COMPONENTS.length];
    for (int i = 0; i < types.length; i++) {
      RecordComponent c = COMPONENTS[i];
      String goName = c.getAnnotation(GoField.class).value();
      if (!goName.equals(fields.get(i).name()) || !c.getType().equals(javaType(fields.get(i)))) {
        throw new ExceptionInInitializerError(
            "persisted HypervisorConfig field "
                + i
                + " is "
                + goName
                + " "
                + c.getType()
                + ", ConfigFields.PERSISTED has "
                + fields.get(i).name());
      }
      types[i] = c.getType();
    }
    try {
      return org.vmm4j.persist.HypervisorConfig.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Class<?> javaType(ConfigFields.Field f) {
    switch (f.kind()) {
      case UINT32:
        return long.class;
      case BOOL:
        return boolean.class;
      case STRING:
        return String.class;
      case STRINGS:
        return List.class;
      default:
        throw new AssertionError(f.kind());
    }
  }
}
