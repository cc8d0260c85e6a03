package org.vmm4j.core.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * One TOML table of a Kata {@code configuration.toml}, read with typed getters that name the key
 * ({@code hypervisor.qemu.default_vcpus}) in their errors and remember which keys were read, so
 * that {@link #warnUnread()} can warn about the rest (Kata ignores unknown keys; vmm4j says so).
 */
final class TomlTable {
  private static final Logger LOG = LoggerFactory.getLogger(TomlTable.class);

  private final String source;
  private final String path;
  private final JsonNode node;
  private final Set<String> read = new LinkedHashSet<>();

  TomlTable(String source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  String path() {
    return path;
  }

  String source() {
    return source;
  }

  /** The raw value of {@code name}, marked as read; null when absent. */
  JsonNode node(String name) {
    read.add(name);
    return node.get(name);
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    read.add(name);
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  String string(String name, String absent) {
    JsonNode v = value(name);
    if (v == null) {
      return absent;
    }
    if (!v.isString()) {
      throw typeError(name, v, "a string");
    }
    return v.stringValue();
  }

  boolean bool(String name, boolean absent) {
    JsonNode v = value(name);
    if (v == null) {
      return absent;
    }
    if (!v.isBoolean()) {
      throw typeError(name, v, "true or false");
    }
    return v.booleanValue();
  }

  /** A Go {@code uint32} (BurntSushi/toml refuses a negative or too large value). */
  long uint32(String name, long absent) {
    return integer(name, absent, 0, ConfigValidator.UINT32_MAX, "an integer in 0..4294967295");
  }

  /** A Go {@code int32}. */
  long int32(String name, long absent) {
    return integer(name, absent, Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
  }

  List<String> strings(String name) {
    JsonNode v = value(name);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw typeError(name, v, "an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v.values()) {
      if (!item.isString()) {
        throw typeError(name, v, "an array of strings");
      }
      out.add(item.stringValue());
    }
    return out;
  }

  /** Logs one warning per key of this table that no getter asked for. */
  void warnUnread() {
    for (String name : node.propertyNames()) {
      if (!read.contains(name)) {
        LOG.warn("{}: unknown key {} ignored", source, key(name));
      }
    }
  }

  ConfigException error(String name, Object value, String reason) {
    return new ConfigException(
        key(name), value, source + ": " + key(name) + "=" + value + ": " + reason);
  }

  /** The sub-tables of this table ({@code [hypervisor.qemu]} under {@code hypervisor}). */
  List<TomlTable> subTables() {
    List<TomlTable> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getValue().isObject()) {
        read.add(e.getKey());
        out.add(new TomlTable(source, key(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  String name() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private long integer(String name, long absent, long min, long max, String what) {
    JsonNode v = value(name);
    if (v == null) {
      return absent;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw typeError(name, v, what);
    }
    long l = v.longValue();
    if (l < min || l > max) {
      throw typeError(name, v, what);
    }
    return l;
  }

  private JsonNode value(String name) {
    read.add(name);
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private ConfigException typeError(String name, JsonNode v, String expected) {
    return new ConfigException(
        key(name), v, source + ": " + key(name) + ": expected " + expected + ", got " + v);
  }
}
