package org.vmm4j.core.internal.config;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * A Kata 1.13 {@code configuration.toml} → {@link RuntimeConfig}, as katautils' {@code
 * LoadConfiguration} does it for containerd-shim-kata-v2: {@code [hypervisor.qemu]} becomes the
 * {@link HypervisorConfig}; {@code [runtime]} and {@code [netmon]} the sandbox settings; {@code
 * [agent.kata]}, {@code [proxy.kata]} and {@code [shim.kata]} are read but, as in Kata's shim-v2
 * mode, do not change anything; {@code [factory]} is read and ignored (vmm4j has no VM factory).
 * Unknown tables and keys are ignored, as Kata ignores them, with a warning each.
 */
public final class KataToml {
  private static final Logger LOG = LoggerFactory.getLogger(KataToml.class);
  private static final TomlMapper MAPPER = new TomlMapper();

  private KataToml() {}

  /**
   * Parses {@code text}; {@code source} (a file name) prefixes messages. The result is not
   * validated.
   */
  public static RuntimeConfig parse(String text, String source, LoadOptions options) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new ConfigException(
          "", source, source + ": not valid TOML: " + e.getOriginalMessage(), e);
    }
    TomlTable top = new TomlTable(source, "", root);
    HypervisorConfig hypervisor = hypervisor(top, source, options);
    TomlTable runtime = table(top, "runtime");
    TomlTable netmon = table(top, "netmon");
    RuntimeConfig config = KataTomlRuntime.map(hypervisor, runtime, netmon);
    ignoredTables(top);
    top.warnUnread();
    return config;
  }

  private static HypervisorConfig hypervisor(TomlTable top, String source, LoadOptions options) {
    TomlTable qemu = null;
    TomlTable hypervisors = table(top, "hypervisor");
    for (TomlTable h : hypervisors.subTables()) {
      if (h.name().equals("qemu")) {
        qemu = h;
      } else {
        LOG.warn("{}: [{}] ignored: vmm4j runs QEMU only", source, h.path());
      }
    }
    hypervisors.warnUnread();
    if (qemu == null) {
      LOG.warn("{}: no [hypervisor.qemu] table: using the defaults", source);
      qemu = new TomlTable(source, "hypervisor.qemu", JsonNodeFactory.instance.objectNode());
    }
    return KataTomlHypervisor.map(qemu, options);
  }

  /** {@code [agent.kata]}, {@code [proxy.kata]}, {@code [shim.kata]}, {@code [factory]}. */
  private static void ignoredTables(TomlTable top) {
    Map<String, List<String>> known =
        Map.of(
            "agent",
            List.of("trace_mode", "trace_type", "kernel_modules"),
            "proxy",
            List.of("path", "enable_debug"),
            "shim",
            List.of("path", "enable_debug", "enable_tracing"));
    for (Map.Entry<String, List<String>> e : known.entrySet()) {
      TomlTable parent = table(top, e.getKey());
      for (TomlTable sub : parent.subTables()) {
        e.getValue().forEach(sub::has);
        if (sub.path().equals("agent.kata")
            && (sub.bool("enable_debug", false) || sub.bool("enable_tracing", false))) {
          LOG.warn(
              "{}: [agent.kata] is ignored in shim-v2 mode, as in Kata 1.13: put agent.log=debug"
                  + " in hypervisor.qemu.kernel_params instead",
              top.source());
        }
        sub.warnUnread();
      }
      parent.warnUnread();
    }
    TomlTable factory = table(top, "factory");
    if (factory.bool("enable_template", false) || factory.uint32("vm_cache_number", 0) > 0) {
      LOG.warn("{}: [factory] ignored: vmm4j has no VM factory", top.source());
    }
    factory.has("template_path");
    factory.has("vm_cache_endpoint");
    factory.warnUnread();
  }

  static TomlTable table(TomlTable top, String name) {
    JsonNode node = top.has(name) ? top.node(name) : null;
    if (node != null && !node.isObject()) {
      throw top.error(name, node, "expected a table");
    }
    return new TomlTable(
        top.source(), name, node == null ? JsonNodeFactory.instance.objectNode() : node);
  }
}
