package org.vmm4j.persist.codec;

/**
 * A document that is not a valid Go encoding of its type, or a value Go would not encode. The
 * message is {@code SOURCE: JSON-PATH: PROBLEM}. Only {@link GoJson} throws it; {@code
 * org.vmm4j.persist.PersistCodec} turns it into persist's {@code StateFormatException}, so it never
 * leaves the module.
 */
public final class GoJsonException extends RuntimeException {

  /** What is wrong. */
  public enum Kind {
    /** Not JSON (or not UTF-8), truncated, or data after the value. */
    SYNTAX,
    /** A key that the Go type does not have. */
    UNKNOWN_FIELD,
    /** The same key twice in one object. */
    DUPLICATE_FIELD,
    /** A JSON value of the wrong type (no coercion). */
    WRONG_TYPE,
    /** null where Go's encoder never writes null. */
    NULL_VALUE,
    /** An integer outside its Go type's range, or a value Go refuses to encode. */
    OUT_OF_RANGE,
    /** A string that does not parse as its type. */
    BAD_VALUE
  }

  private final Kind kind;
  private final String source;
  private final String jsonPath;
  private final String value;
  private final String problem;

  GoJsonException(Kind kind, String source, String jsonPath, String value, String problem) {
    super(source + ": " + jsonPath + ": " + problem);
    this.kind = kind;
    this.source = source;
    this.jsonPath = jsonPath;
    this.value = value;
    this.problem = problem;
  }

  public Kind kind() {
    return kind;
  }

  /** The file or origin of the document (for an encoding, what was encoded). */
  public String source() {
    return source;
  }

  /** Where the problem is, e.g. {@code $.HypervisorState.Bridges[1].Addr}. */
  public String jsonPath() {
    return jsonPath;
  }

  /** The offending value as written in the document (a JSON token or key), or null. */
  public String value() {
    return value;
  }

  /** What is wrong, naming the value. */
  public String problem() {
    return problem;
  }
}
