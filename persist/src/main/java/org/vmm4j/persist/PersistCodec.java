package org.vmm4j.persist;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.vmm4j.persist.StateFormatException.Kind;
import org.vmm4j.persist.codec.GoJson;
import org.vmm4j.persist.codec.GoJsonException;

/**
 * The persisted state's JSON, byte for byte as Kata's Go code writes it ({@code
 * json.NewEncoder(f).Encode(v)}: compact, Go's field order and escaping, one trailing newline),
 * except that a known {@link PciPath} is written as its string (Kata writes {@code {}}, losing it).
 *
 * <p>Reading never guesses. Every problem is a {@link StateFormatException} naming the source, the
 * JSON path and the value: malformed JSON or not UTF-8; an unknown key (keys match exactly; Go's
 * decoder would also take other letter cases and ignore unknown keys); a duplicate key (Go keeps
 * the last); a value of the wrong JSON type (no {@code "1"} for 1, no 1.0 for an integer); null
 * where Go's encoder never writes null (strings, numbers, bools, struct values, {@code net.IP},
 * elements of slices and maps: Go would silently keep the zero value, which would not re-encode to
 * the same bytes); an integer outside its Go type's range; a bad PCI path, time, IP address, base64
 * mask or integer map key (these must be in the form Go writes them); a {@code PersistVersion}
 * newer than {@value #CURRENT_PERSIST_VERSION}. A missing key is Go's zero value, and Go zero
 * values (an empty id, {@code PersistVersion} 0) are valid.
 */
public final class PersistCodec {
  /** The {@code PersistVersion} vmm4j writes (Kata 1.13's {@code CurPersistVersion}). */
  public static final long CURRENT_PERSIST_VERSION = 2;

  private static final Set<String> CONTAINER_ONLY =
      Set.of("Rootfs", "DeviceMaps", "Mounts", "Process", "BundlePath");
  private static final Set<String> SHARED = Set.of("State", "CgroupPath");
  private static final GoJson JSON = new GoJson(SchemaTexts.ALL);

  private PersistCodec() {}

  /** A sandbox's {@code persist.json}. */
  public static byte[] encode(PersistedState state) {
    return checked(() -> JSON.encode((Record) state));
  }

  /** Any schema record, e.g. a {@link DeviceState} on its own (used by golden tests and tools). */
  public static byte[] encodeValue(Record value) {
    return checked(() -> JSON.encode(value));
  }

  /** Decodes a sandbox state and checks its {@code PersistVersion}. */
  public static SandboxState decodeSandbox(byte[] json, String source) {
    SandboxState s = checked(() -> JSON.decode(SandboxState.class, json, source));
    if (Long.compareUnsigned(s.persistVersion(), CURRENT_PERSIST_VERSION) > 0) {
      String v = Long.toUnsignedString(s.persistVersion());
      throw new StateFormatException(
          Kind.UNSUPPORTED_VERSION,
          source,
          "$.PersistVersion",
          v,
          "persist version "
              + v
              + " is newer than "
              + CURRENT_PERSIST_VERSION
              + ", the newest this vmm4j reads");
    }
    return s;
  }

  public static ContainerState decodeContainer(byte[] json, String source) {
    return checked(() -> JSON.decode(ContainerState.class, json, source));
  }

  /** Decodes any schema record (no version check). */
  public static <T extends Record> T decodeValue(Class<T> type, byte[] json, String source) {
    return checked(() -> JSON.decode(type, json, source));
  }

  /**
   * Decodes a sandbox or a container state, whichever the document is: the first top-level key that
   * only one of the two types has decides ({@code Rootfs}, {@code DeviceMaps}, {@code Mounts},
   * {@code Process}, {@code BundlePath} are a container's). A document with no such key ({@code
   * {}}, or only {@code State} and {@code CgroupPath}) is read as a sandbox state. A key of the
   * other type then fails as an unknown field.
   */
  public static PersistedState decodeDetected(byte[] json, String source) {
    return isContainer(checked(() -> JSON.topLevelKeys(json, source, k -> !SHARED.contains(k))))
        ? decodeContainer(json, source)
        : decodeSandbox(json, source);
  }

  private static boolean isContainer(List<String> keys) {
    for (String k : keys) {
      if (CONTAINER_ONLY.contains(k)) {
        return true;
      }
      if (!SHARED.contains(k)) {
        return false;
      }
    }
    return false;
  }

  /** Runs the codec, its problems as {@link StateFormatException}s. */
  private static <T> T checked(Supplier<T> call) {
    try {
      return call.get();
    } catch (GoJsonException e) {
      StateFormatException s =
          new StateFormatException(
              kind(e.kind()), e.source(), e.jsonPath(), e.value(), e.problem());
      s.initCause(e);
      throw s;
    }
  }

  private static Kind kind(GoJsonException.Kind kind) {
    return switch (kind) {
      case SYNTAX -> Kind.SYNTAX;
      case UNKNOWN_FIELD -> Kind.UNKNOWN_FIELD;
      case DUPLICATE_FIELD -> Kind.DUPLICATE_FIELD;
      case WRONG_TYPE -> Kind.WRONG_TYPE;
      case NULL_VALUE -> Kind.NULL_VALUE;
      case OUT_OF_RANGE -> Kind.OUT_OF_RANGE;
      case BAD_VALUE -> Kind.BAD_VALUE;
    };
  }
}
