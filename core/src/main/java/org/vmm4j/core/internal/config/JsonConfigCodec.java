package org.vmm4j.core.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * vmm4j's JSON form of the live {@link HypervisorConfig}: one object whose members are the Go field
 * names of {@link ConfigFields} (so the {@code HypervisorConfig} object of a {@code persist.json}
 * is valid input), strictly checked: an unknown or duplicate member, or a value of the wrong JSON
 * type or range, is a {@link ConfigException} naming its JSON path ({@code $.KernelParams[1].Key}).
 * {@code null} leaves a field at its zero value, as Go's decoder does. Absent members are zero. A
 * Kata list keeps Go's distinction: {@code null} (or absent) is nil, {@code []} an empty slice.
 */
public final class JsonConfigCodec {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonConfigCodec() {}

  /**
   * Decodes {@code json}; {@code source} (a file name) prefixes error messages.
   *
   * @throws ConfigException for malformed JSON or any member that does not fit
   */
  public static HypervisorConfig read(String json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new ConfigException(
          "$", source, source + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw error(source, "$", root, "expected an object");
    }
    HypervisorConfig zero = HypervisorConfig.zero();
    ConfigFields.Draft draft = new ConfigFields.Draft(zero.kata(), zero.live());
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String path = "$." + e.getKey();
      ConfigFields.Field field = ConfigFields.byName(e.getKey());
      if (field == null) {
        throw new ConfigException(
            path, e.getKey(), source + ": " + path + ": unknown field of HypervisorConfig");
      }
      if (!e.getValue().isNull()) {
        draft.set(field, decode(source, path, field, e.getValue()));
      }
    }
    return new HypervisorConfig(draft.kata(), draft.live());
  }

  /**
   * Encodes every field, in {@link ConfigFields#ALL} order, indented, ending with a newline; a nil
   * Kata list is {@code null}.
   */
  public static String write(HypervisorConfig config) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (ConfigFields.Field f : ConfigFields.ALL) {
      root.set(f.name(), encode(f.kind(), f.get(config.kata(), config.live())));
    }
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  private static Object decode(String source, String path, ConfigFields.Field f, JsonNode v) {
    switch (f.kind()) {
      case INTEGER:
        if (!v.isIntegralNumber() || !v.canConvertToLong() || !f.goType().holds(v.longValue())) {
          throw error(source, path, v, "expected an integer in " + f.goType().range());
        }
        return v.longValue();
      case BOOL:
        if (!v.isBoolean()) {
          throw error(source, path, v, "expected true or false");
        }
        return v.booleanValue();
      case STRING:
        return string(source, path, v);
      case STRINGS:
        return strings(source, path, v);
      case PARAMS:
        return params(source, path, v);
      case ACCELERATOR:
        Accelerator a = Accelerator.fromWireName(string(source, path, v));
        if (a == null) {
          throw error(source, path, v, "expected \"auto\", \"kvm\" or \"tcg\"");
        }
        return a;
      default:
        throw new AssertionError(f.kind());
    }
  }

  private static String string(String source, String path, JsonNode v) {
    if (!v.isString()) {
      throw error(source, path, v, "expected a string");
    }
    return v.stringValue();
  }

  private static List<String> strings(String source, String path, JsonNode v) {
    if (!v.isArray()) {
      throw error(source, path, v, "expected an array of strings or null");
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : v.values()) {
      out.add(string(source, path + "[" + i++ + "]", item));
    }
    return out;
  }

  private static List<KernelParam> params(String source, String path, JsonNode v) {
    if (v.isString()) {
      return KernelParam.parse(v.stringValue());
    }
    if (!v.isArray()) {
      throw error(source, path, v, "expected an array of {\"Key\",\"Value\"} objects or a string");
    }
    List<KernelParam> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : v.values()) {
      out.add(param(source, path + "[" + i++ + "]", item));
    }
    return out;
  }

  private static KernelParam param(String source, String path, JsonNode item) {
    if (!item.isObject()) {
      throw error(source, path, item, "expected an object {\"Key\":..,\"Value\":..}");
    }
    String key = "";
    String value = "";
    for (Map.Entry<String, JsonNode> e : item.properties()) {
      String p = path + "." + e.getKey();
      if (e.getValue().isNull()) {
        continue;
      }
      switch (e.getKey()) {
        case "Key" -> key = string(source, p, e.getValue());
        case "Value" -> value = string(source, p, e.getValue());
        default ->
            throw new ConfigException(
                p, e.getKey(), source + ": " + p + ": unknown field of Param (Key, Value)");
      }
    }
    return new KernelParam(key, value);
  }

  private static JsonNode encode(ConfigFields.Kind kind, Object value) {
    JsonNodeFactory nf = JsonNodeFactory.instance;
    if (value == null) {
      return nf.nullNode();
    }
    return switch (kind) {
      case INTEGER -> nf.numberNode((Long) value);
      case BOOL -> nf.booleanNode((Boolean) value);
      case STRING -> nf.stringNode((String) value);
      case ACCELERATOR -> nf.stringNode(((Accelerator) value).wireName());
      case STRINGS -> {
        ArrayNode a = nf.arrayNode();
        ((List<?>) value).forEach(s -> a.add((String) s));
        yield a;
      }
      case PARAMS -> {
        ArrayNode a = nf.arrayNode();
        for (Object o : (List<?>) value) {
          KernelParam p = (KernelParam) o;
          a.add(nf.objectNode().put("Key", p.key()).put("Value", p.value()));
        }
        yield a;
      }
    };
  }

  private static ConfigException error(String source, String path, JsonNode v, String what) {
    String shown = v == null ? "nothing" : v.toString();
    return new ConfigException(path, shown, source + ": " + path + ": " + what + ", got " + shown);
  }
}
