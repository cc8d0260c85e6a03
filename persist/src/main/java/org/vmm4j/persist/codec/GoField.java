package org.vmm4j.persist.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares how a record component of the persisted schema maps to the Go struct field it mirrors.
 * The codec reads these at start-up; a component without it is a programming error.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface GoField {
  /** The JSON key: the Go field name, or the name of its {@code json} tag. */
  String value();

  /**
   * The Go integer type of a {@code long} or {@code Long} component, or of the keys of a {@code
   * Map<Long, ?>} or {@code Set<Long>} component.
   */
  GoType type() default GoType.NONE;

  /** The Go tag has {@code omitempty}. */
  boolean omitEmpty() default false;

  /** A record component that is a Go pointer: {@code null} is Go's nil and is written as null. */
  boolean pointer() default false;

  /** An embedded Go struct (or pointer to one): its fields appear inline in the parent object. */
  boolean embedded() default false;
}
