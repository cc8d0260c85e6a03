package org.vmm4j.core;

import java.nio.file.Path;
import java.time.Duration;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.internal.hotplug.DevicePlugs;
import org.vmm4j.core.internal.hotplug.HostDeviceFacts;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.BlockdevAdd;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A controller in a JVM of its own that {@link ControllerKillIT} SIGKILLs in the middle of a
 * hotplug: it restores sandbox {@code ID} from store {@code ROOT}, prints {@code READY}, then runs
 * up to {@code POINT}, prints {@code AT POINT} and waits to be killed:
 *
 * <ul>
 *   <li>{@code before-plug}: inside the hotplug transaction (store lock held), nothing sent;
 *   <li>{@code after-blockdev-add}: the disk's block node added (the flow's first QMP step);
 *   <li>{@code after-device-add}: the whole disk flow done ({@code blockdev-add}, {@code
 *       device_add}, slot committed), the state not saved yet;
 *   <li>{@code after-save}: {@code plugDisk} returned (the state saved, the lock released);
 *   <li>{@code loop}: plugs and unplugs the disk until killed, printing {@code CYCLE n} after each
 *       plug/unplug pair (the killer picks the moment).
 * </ul>
 *
 * Usage: {@code ROOT ID POINT DISK}.
 */
public final class HotplugKillChild {
  private HotplugKillChild() {}

  public static void main(String[] args) throws Exception {
    FsStore store = new FsStore(Path.of(args[0]));
    String point = args[2];
    Path disk = Path.of(args[3]);
    Sandbox sb = Sandbox.restore(store, args[1]);
    System.out.println("READY");
    System.out.flush();
    DiskSpec spec = DiskSpec.raw(disk);
    switch (point) {
      case "before-plug" -> sb.transact(tx -> hold(point));
      case "after-blockdev-add" ->
          sb.transact(
              tx -> {
                tx.qmp().call(new BlockdevAdd(node(disk)), Duration.ofSeconds(5));
                return hold(point);
              });
      case "after-device-add" ->
          sb.transact(
              tx -> {
                DevicePlugs.disk(tx, sb.config(), spec, HostDeviceFacts.disk(sb.id(), disk, false));
                return hold(point);
              });
      case "after-save" -> {
        sb.devices().plugDisk(spec);
        hold(point);
      }
      case "loop" -> {
        for (int i = 0; ; i++) {
          Device d = sb.devices().plugDisk(spec);
          sb.devices().unplug(d.id());
          System.out.println("CYCLE " + i);
          System.out.flush();
        }
      }
      default -> throw new IllegalArgumentException("unknown point " + point);
    }
  }

  /** The {@code blockdev-add} options of the disk flow, with Kata's node naming. */
  private static ObjectNode node(Path disk) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("driver", "raw").put("node-name", "drive-0123456789abcdef").put("read-only", false);
    o.putObject("file").put("driver", "file").put("filename", disk.toString());
    return o;
  }

  private static Object hold(String point) {
    System.out.println("AT " + point);
    System.out.flush();
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("woken up at " + point);
  }
}
