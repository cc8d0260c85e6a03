package org.vmm4j.persist;

/**
 * A persisted document that is not a valid encoding of its schema type (or a value that cannot be
 * encoded). The message is {@code SOURCE: JSON-PATH: PROBLEM}, e.g. {@code
 * /run/vc/sbs/a/persist.json: $.HypervisorState.Bridges[1].Addr: -1 is out of range for Go int}.
 */
public final class StateFormatException extends PersistException {

  /** What is wrong. */
  public enum Kind {
    /** Not JSON (or not UTF-8), truncated, or data after the value. */
    SYNTAX,
    /** A key that the Go type does not have (keys match exactly, as Go's encoder writes them). */
    UNKNOWN_FIELD,
    /** The same key twice in one object. */
    DUPLICATE_FIELD,
    /** A JSON value of the wrong type (no coercion: "1" is not 1, 1.0 is not an integer). */
    WRONG_TYPE,
    /** null where Go's encoder never writes null (a string, number, bool or struct value). */
    NULL_VALUE,
    /** An integer outside its Go type's range, or a time outside years 0..9999. */
    OUT_OF_RANGE,
    /** A string that does not parse as its type (PCI path, time, IP address, base64, map key). */
    BAD_VALUE,
    /** A {@code PersistVersion} newer than the one this vmm4j writes. */
    UNSUPPORTED_VERSION
  }

  private final Kind kind;
  private final String source;
  private final String jsonPath;
  private final String value;

  /**
   * @param source the file (or other origin) of the document
   * @param jsonPath where the problem is, e.g. {@code $.Devices[0].BlockDrive.PCIPath}
   * @param value the offending value as it appears in the document (may be null)
   * @param problem what is wrong, naming the value
   */
  public StateFormatException(
      Kind kind, String source, String jsonPath, String value, String problem) {
    super(source + ": " + jsonPath + ": " + problem);
    this.kind = kind;
    this.source = source;
    this.jsonPath = jsonPath;
    this.value = value;
  }

  public Kind kind() {
    return kind;
  }

  /** The file or origin of the document. */
  public String source() {
    return source;
  }

  /** The JSON path of the problem, e.g. {@code $.HypervisorState.Bridges[1].Addr}. */
  public String jsonPath() {
    return jsonPath;
  }

  /** The offending value as written in the document (a JSON token or key), or null. */
  public String value() {
    return value;
  }
}
