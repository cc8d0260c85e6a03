package org.vmm4j.it.hotplug;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.persist.PciPath;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link HotplugOps} as {@code vmm4j} processes: each operation is a JVM of its own running {@code
 * org.vmm4j.cli.Vmm4j} that finds the sandbox through its persisted state ({@code --json} output
 * parsed back).
 */
final class CliOps implements HotplugOps {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** One run: exit code and both streams. */
  record Result(int code, String out, String err) {}

  private final Path root;
  private final String id;

  CliOps(Path root, String id) {
    this.root = root;
    this.id = id;
  }

  /** Runs {@code vmm4j --root ROOT ARGS...} in a JVM of its own. */
  static Result vmm4j(Path root, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dlogback.configurationFile=logback.xml");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.vmm4j.cli.Vmm4j");
    cmd.add("--root");
    cmd.add(root.toString());
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("vmm4j-cli-out", ".txt");
      Path err = Files.createTempFile("vmm4j-cli-err", ".txt");
      Process p =
          new ProcessBuilder(cmd)
              .redirectInput(new File("/dev/null"))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("vmm4j " + List.of(args) + " did not end within 90 s");
      }
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Result run(String... args) {
    return vmm4j(root, args);
  }

  /**
   * {@code vmm4j hotplug ID KIND OPTIONS --json}, parsed: one {@link Device} per id, a VFIO group's
   * members (one JSON entry each) its QEMU devices. A QEMU device's id is the entry's {@code
   * qemu-id} detail; where the line names none (vCPUs, memory, endpoints) the device's id.
   */
  List<Device> hotplug(String kind, String... options) {
    List<String> args = new ArrayList<>(List.of("hotplug", id, kind));
    args.addAll(List.of(options));
    args.add("--json");
    Result r = run(args.toArray(String[]::new));
    if (r.code() != 0) {
      throw new OpFailed(r.code(), r.err().strip());
    }
    return devices(JSON.readTree(r.out()));
  }

  private static List<Device> devices(JsonNode doc) {
    Map<String, List<JsonNode>> byId = new LinkedHashMap<>();
    for (JsonNode d : doc.path("devices")) {
      byId.computeIfAbsent(d.path("id").asString(), k -> new ArrayList<>()).add(d);
    }
    List<Device> out = new ArrayList<>();
    byId.forEach(
        (deviceId, entries) -> {
          List<Device.QemuDevice> parts = new ArrayList<>();
          for (JsonNode e : entries) {
            Map<String, String> details = details(e);
            JsonNode path = e.path("pciPath");
            parts.add(
                new Device.QemuDevice(
                    details.getOrDefault("qemu-id", deviceId),
                    path.isNull() ? PciPath.NIL : PciPath.parse(path.asString()),
                    entries.size() > 1 ? details : Map.of()));
          }
          out.add(new Device(deviceId, kind(entries.get(0)), parts, details(entries.get(0))));
        });
    return out;
  }

  private static Map<String, String> details(JsonNode entry) {
    Map<String, String> details = new LinkedHashMap<>();
    entry
        .path("details")
        .properties()
        .forEach(e -> details.put(e.getKey(), e.getValue().asString()));
    return details;
  }

  private static DeviceKind kind(JsonNode entry) {
    String name = entry.path("kind").asString();
    return Arrays.stream(DeviceKind.values())
        .filter(k -> k.cliName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("vmm4j hotplug printed kind " + name));
  }

  @Override
  public List<Device> disk(Path file, String format, boolean readOnly, String driver) {
    List<String> o = new ArrayList<>(List.of("--file", file.toString(), "--format", format));
    if (readOnly) {
      o.add("--readonly");
    }
    if (driver != null) {
      o.addAll(List.of("--driver", driver));
    }
    return hotplug("block", o.toArray(String[]::new));
  }

  @Override
  public List<Device> vhostUser(String kind, Path socket, String tag) {
    return tag == null
        ? hotplug(kind, "--socket", socket.toString())
        : hotplug(kind, "--socket", socket.toString(), "--tag", tag);
  }

  @Override
  public List<Device> cpus(int count) {
    return hotplug("cpu", "--count", Integer.toString(count));
  }

  @Override
  public List<Device> memory(long mib) {
    return hotplug("memory", "--size", mib + "M");
  }

  @Override
  public void unplug(String device) {
    Result r = run("unplug", id, device);
    if (r.code() != 0) {
      throw new OpFailed(r.code(), r.err().strip());
    }
  }
}
