package org.vmm4j.core.internal.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.LoadOptions;

/**
 * katautils' transformations of {@code [hypervisor.qemu]} values, the rules of {@link KataKeys}:
 * {@code resolve()} for paths (absolute, symlinks resolved, must exist), list normalisation, zero
 * means the default, the shared file systems and block drivers Kata knows, the vsock device check.
 */
final class TomlRules {
  private static final Logger LOG = LoggerFactory.getLogger(TomlRules.class);

  static final String KERNEL = "/usr/share/kata-containers/vmlinuz.container";
  static final String VHOST_USER_STORE = "/var/run/kata-containers/vhost-user/";

  /** What a rule may consult: the table being read and the host facts. */
  record Context(TomlTable table, LoadOptions options) {}

  private TomlRules() {}

  /** katautils' {@code resolve}: absolute, symlinks resolved, must exist. */
  static Object resolve(Context c, String key, Object value) {
    String path = (String) value;
    Path abs = Path.of(path).toAbsolutePath();
    try {
      return abs.toRealPath().toString();
    } catch (IOException e) {
      throw c.table().error(key, path, "file " + abs + " does not exist");
    }
  }

  /** {@link #resolve} for an optional path: "" stays "". */
  static Object resolveIfSet(Context c, String key, Object value) {
    return ((String) value).isEmpty() ? "" : resolve(c, key, value);
  }

  /** The image and the initrd: resolved, "" when missing ({@link KataTomlHypervisor} checks). */
  static Object resolveOrEmpty(Context c, String key, Object value) {
    String path = (String) value;
    if (path.isEmpty()) {
      return "";
    }
    try {
      return Path.of(path).toAbsolutePath().toRealPath().toString();
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code pflashes}: each must exist; the list is kept as written. */
  static Object existingFiles(Context c, String key, Object value) {
    @SuppressWarnings("unchecked")
    List<String> paths = (List<String>) value;
    if (paths != null) {
      paths.forEach(p -> resolve(c, key, p));
    }
    return paths;
  }

  /** Split on commas, trim, drop empty items, re-join with commas. */
  static Object normalizeList(Context c, String key, Object value) {
    return Arrays.stream(((String) value).split(","))
        .map(String::trim)
        .filter(x -> !x.isEmpty())
        .collect(Collectors.joining(","));
  }

  /** 0 means the key's default. */
  static Object zeroIsAbsent(Context c, String key, Object value) {
    return (Long) value == 0 ? KataKeys.byToml(key).absent() : value;
  }

  /** {@code default_vcpus}: negative means the host's CPUs, 0 means 1 (no clamp to the host). */
  static Object vcpus(Context c, String key, Object value) {
    long vcpus = (Long) value;
    if (vcpus < 0) {
      LOG.warn(
          "{} = {}: using the host's {} CPUs", c.table().key(key), vcpus, c.options().hostCpus());
      vcpus = c.options().hostCpus();
    }
    return vcpus == 0 ? 1L : vcpus;
  }

  /** {@code default_bridges}: at most Kata's maximum, 0 means 1. */
  static Object bridges(Context c, String key, Object value) {
    long bridges = (Long) value;
    if (bridges > ConfigValidator.MAX_BRIDGES) {
      LOG.warn(
          "{} = {}: using the maximum {}",
          c.table().key(key),
          bridges,
          ConfigValidator.MAX_BRIDGES);
      bridges = ConfigValidator.MAX_BRIDGES;
    }
    return bridges == 0 ? 1L : bridges;
  }

  static Object sharedFs(Context c, String key, Object value) {
    if (!KataFacts.SHARED_FS.contains(value)) {
      throw c.table()
          .error(key, value, "invalid hypervisor shared file system (virtio-9p, virtio-fs)");
    }
    return value;
  }

  static Object block(Context c, String key, Object value) {
    if (!KataFacts.BLOCK_DRIVERS.contains(value)) {
      throw c.table().error(key, value, "invalid hypervisor block storage driver");
    }
    return value;
  }

  /** {@code use_vsock = true} without {@code /dev/vhost-vsock}: the serial channel, warned. */
  static Object vsock(Context c, String key, Object value) {
    if ((Boolean) value && !c.options().vhostVsockAvailable()) {
      LOG.warn(
          "{} = true but {} does not exist: the agent uses the serial channel",
          c.table().key(key),
          LoadOptions.VHOST_VSOCK);
      return false;
    }
    return value;
  }

  /**
   * The user's {@code kernel_params}, parsed (an empty key is refused); {@link KataTomlHypervisor}
   * adds the parameters of {@code SetKernelParams} around them.
   */
  static Object kernelParams(Context c, String key, Object value) {
    String text = (String) value;
    List<KernelParam> params = KernelParam.parse(text);
    for (KernelParam p : params) {
      if (p.key().isEmpty()) {
        throw c.table().error(key, text, "empty kernel parameter " + p);
      }
    }
    return params;
  }
}
