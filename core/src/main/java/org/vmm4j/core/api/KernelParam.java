package org.vmm4j.core.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One kernel (or hypervisor) parameter, Kata's {@code Param{Key, Value}}. It renders as {@code
 * key=value}, as {@code key} alone when the value is empty, or as {@code value} alone when the key
 * is empty.
 *
 * @param key the parameter name, never null
 * @param value the value, never null ({@code ""} for a flag such as {@code quiet})
 */
public record KernelParam(String key, String value) {

  public KernelParam {
    key = Objects.requireNonNullElse(key, "");
    value = Objects.requireNonNullElse(value, "");
  }

  /** A parameter without a value, such as {@code quiet}. */
  public static KernelParam flag(String key) {
    return new KernelParam(key, "");
  }

  /** Kata's {@code params(s)}: split on whitespace, each token split at its first {@code =}. */
  public static List<KernelParam> parse(String text) {
    List<KernelParam> params = new ArrayList<>();
    for (String token : text.trim().split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      int eq = token.indexOf('=');
      params.add(
          eq < 0 ? flag(token) : new KernelParam(token.substring(0, eq), token.substring(eq + 1)));
    }
    return List.copyOf(params);
  }

  /** The parameters rendered and joined by single spaces, as on QEMU's {@code -append}. */
  public static String join(List<KernelParam> params) {
    StringBuilder sb = new StringBuilder();
    for (KernelParam p : params) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(p);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    if (value.isEmpty()) {
      return key;
    }
    return key.isEmpty() ? value : key + "=" + value;
  }
}
