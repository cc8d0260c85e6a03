package org.vmm4j.persist.codec;

/**
 * A type that Go writes as one JSON string ({@code net.IP}, {@code time.Time}, a PCI path), mapped
 * by the module that owns its Java type and handed to {@link GoJson}: the codec knows Go's strings,
 * bools, integers, pointers, slices, maps and structs, and nothing else. The codec checks the JSON
 * type, reports every problem with its path, and writes and reads the zero value's own form; the
 * mapping only turns text into a value and back.
 *
 * @param <T> the Java type
 */
public interface GoText<T> {

  /** How Go writes the zero value. */
  enum ZeroForm {
    /** As its text, like every other value. */
    TEXT,
    /** {@code null} (a nil slice, such as {@code net.IPMask}); read back as the zero value. */
    NULL,
    /** {@code {}} (a struct without exported fields); read back as the zero value. */
    EMPTY_OBJECT
  }

  /** The Java type of the record components this maps. */
  Class<T> type();

  /** The Go type, for messages, e.g. {@code net.IP}. */
  String goName();

  /** The JSON this type takes, for messages, e.g. {@code an IP address string (Go net.IP)}. */
  String expected();

  /** Go's zero value of the type (what a missing key decodes to). */
  T zero();

  ZeroForm zeroForm();

  /**
   * The value of a JSON string.
   *
   * @throws IllegalArgumentException whose message is the problem, naming the text
   */
  T parse(String text);

  /**
   * The JSON string of a value (not called for the zero value when {@link #zeroForm} is not {@code
   * TEXT}).
   *
   * @throws IllegalArgumentException when Go refuses to encode the value (reported as out of range)
   */
  String format(T value);

  /** Whether {@code omitempty} drops the value. */
  boolean isEmpty(T value);
}
