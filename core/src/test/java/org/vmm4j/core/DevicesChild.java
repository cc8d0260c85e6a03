package org.vmm4j.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.QmpOptions;

/**
 * A second controller in a JVM of its own, for {@link SandboxDevicesAcrossProcessesIT}: restores
 * sandbox {@code ID} of store {@code ROOT} (the first controller holds the controller socket, so
 * this one is on the tools socket), runs each {@code COMMAND} and prints one line per result:
 *
 * <ul>
 *   <li>{@code list}: {@code DEVICE <id> <KIND> <qemu-id>@<pci-path|->[,...]} per device of {@code
 *       devices().list()};
 *   <li>{@code unplug:<id>}: {@code UNPLUGGED <id> <KIND>}, or {@code FAILED <id> <exception's
 *       simple class name> <FAULT> <message>};
 * </ul>
 *
 * then detaches ({@code close()}: QEMU runs on) and prints {@code DONE}. Usage: {@code ROOT ID
 * DEVICE_DELETED_MS COMMAND...}.
 */
public final class DevicesChild {
  private DevicesChild() {}

  public static void main(String[] args) {
    FsStore store = new FsStore(Path.of(args[0]));
    QmpOptions qmp =
        QmpOptions.defaults().withDeviceDeletedTimeout(Duration.ofMillis(Long.parseLong(args[2])));
    try (Sandbox sb =
        Sandbox.restore(store, args[1], SandboxOptions.defaults().withQmpOptions(qmp))) {
      for (String cmd : List.of(args).subList(3, args.length)) {
        if (cmd.equals("list")) {
          sb.devices().list().forEach(d -> System.out.println("DEVICE " + line(d)));
        } else if (cmd.startsWith("unplug:")) {
          System.out.println(unplug(sb, cmd.substring("unplug:".length())));
        } else {
          throw new IllegalArgumentException("unknown command " + cmd);
        }
      }
    }
    System.out.println("DONE");
  }

  /** {@code <id> <KIND> <qemu-id>@<pci-path|->[,...]}. */
  static String line(Device d) {
    return d.id()
        + " "
        + d.kind()
        + " "
        + d.qemuDevices().stream()
            .map(q -> q.id() + "@" + (q.pciPath().isNil() ? "-" : q.pciPath().toString()))
            .collect(Collectors.joining(","));
  }

  private static String unplug(Sandbox sb, String id) {
    try {
      Device d = sb.devices().unplug(id);
      return "UNPLUGGED " + id + " " + d.kind();
    } catch (Vmm4jException e) {
      return "FAILED "
          + id
          + " "
          + e.getClass().getSimpleName()
          + " "
          + e.fault()
          + " "
          + e.getMessage().replace('\n', ' ');
    }
  }
}
