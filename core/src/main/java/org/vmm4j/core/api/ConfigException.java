package org.vmm4j.core.api;

/**
 * An invalid configuration: a value out of range, a missing or contradictory setting, a file that
 * does not exist, or a configuration file that cannot be read. {@link #field()} names the setting
 * (a {@code HypervisorConfig} field such as {@code "NumVCPUs"}, a TOML key such as {@code
 * "hypervisor.qemu.default_vcpus"} or a JSON path such as {@code "$.KernelParams[1].Key"}) and
 * {@link #value()} the offending value as text; both appear in the message.
 */
public final class ConfigException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  public ConfigException(String field, Object value, String message) {
    super(message);
    this.field = field;
    this.value = String.valueOf(value);
  }

  public ConfigException(String field, Object value, String message, Throwable cause) {
    super(message, cause);
    this.field = field;
    this.value = String.valueOf(value);
  }

  /** The setting at fault, as its source names it. */
  public String field() {
    return field;
  }

  /** The offending value, as text ({@code "null"} when there was none). */
  public String value() {
    return value;
  }

  /** {@code "HypervisorConfig: <field>=<value> <reason>"}. */
  public static ConfigException invalid(String field, Object value, String reason) {
    return new ConfigException(
        field, value, "HypervisorConfig: " + field + "=" + render(value) + " " + reason);
  }

  private static String render(Object value) {
    return value instanceof String s && (s.isEmpty() || s.contains(" "))
        ? "\"" + s + "\""
        : "" + value;
  }
}
