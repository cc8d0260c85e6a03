package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.Reconciliation.Leftover;
import org.vmm4j.core.api.Reconciliation.LeftoverKind;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QomGet;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryNamedBlockNodes;
import org.vmm4j.testing.modules.ChildClassPath;

/**
 * The controller killed (SIGKILL) in the middle of a hotplug, then another one restores the sandbox
 * and reconciles: every device is either recorded and present or absent and not recorded; what QEMU
 * has beyond the records is reported as leftovers and fenced (a new disk plugs next to it), and
 * removed when asked; after that QEMU and the state agree. The controller is {@link
 * HotplugKillChild} in a JVM of its own, killed at fixed points and at random moments of a
 * plug/unplug loop. q35, TCG, halting kernel, native hotplug (a device_del completes without a
 * guest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerKillIT {
  static final int RANDOM_KILLS = 4;

  HaltedSandbox h;
  Path disk;

  @BeforeAll
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h =
        HaltedSandbox.start(
            "ck1",
            b ->
                b.editKata(k -> k.pcieRootPort(2).blockDeviceDriver("virtio-blk"))
                    .editLive(l -> l.nativePcieHotplug(true)));
    h.sandbox.close(); // QEMU runs on; every controller from now on restores it
    disk = h.disk("d.raw", 1);
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"before-plug", "after-blockdev-add", "after-device-add", "after-save"})
  void killedAtAPointOfTheHotplug(String point) throws Exception {
    killAt(point, -1);
    Reconciliation r = restoreCheckAndClean();
    switch (point) {
      case "before-plug", "after-save" -> assertThat(r.leftovers()).isEmpty();
      case "after-blockdev-add" ->
          assertThat(r.leftovers())
              .extracting(Leftover::kind, Leftover::id)
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple(
                      LeftoverKind.BLOCK_NODE, "drive-0123456789abcdef"));
      case "after-device-add" -> {
        assertThat(r.leftovers()).hasSize(1);
        Leftover l = r.leftovers().get(0);
        assertThat(l.kind()).isEqualTo(LeftoverKind.DEVICE);
        assertThat(l.type()).isEqualTo("virtio-blk-pci");
        assertThat(l.pciPath().isNil()).isFalse();
        assertThat(l.nodes()).containsExactly(l.id().substring("virtio-".length()));
      }
      default -> throw new AssertionError(point);
    }
    assertThat(r.missing()).isEmpty();
  }

  @Test
  void killedAtRandomMomentsOfPlugsAndUnplugs() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < RANDOM_KILLS; i++) {
      double fraction = random.nextDouble();
      long cycleMs = killAt("loop", fraction);
      Reconciliation r = restoreCheckAndClean();
      System.out.printf(
          "ControllerKillIT: seed %d, kill %d at %.2f of a %d ms plug/unplug cycle:"
              + " %d leftover(s), %d missing%n",
          seed, i, fraction, cycleMs, r.leftovers().size(), r.missing().size());
    }
  }

  /**
   * Starts the child and SIGKILLs it: at {@code AT point} ({@code fraction} < 0), or in loop mode
   * {@code fraction} of a plug/unplug cycle after a cycle ended (the cycle timed on the first two).
   *
   * @return the cycle's duration in ms (loop mode), else 0
   */
  private long killAt(String point, double fraction) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    cmd.addAll(List.of("-cp", ChildClassPath.of(HotplugKillChild.class)));
    cmd.add(HotplugKillChild.class.getName());
    cmd.addAll(List.of(h.store.root().toString(), h.sandbox.id(), point, disk.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      long cycleMs = 0;
      if (fraction < 0) {
        await(out, "AT " + point);
      } else {
        await(out, "CYCLE 0");
        long t0 = System.nanoTime();
        await(out, "CYCLE 1");
        cycleMs = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        Thread.sleep((long) (fraction * cycleMs));
      }
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      return cycleMs;
    } finally {
      p.destroyForcibly();
    }
  }

  private static void await(BufferedReader out, String want) throws IOException {
    for (String l = out.readLine(); ; l = out.readLine()) {
      assertThat(l).as("the child's output before " + want).isNotNull();
      if (l.equals(want)) {
        return;
      }
    }
  }

  /**
   * A new controller restores and reconciles; checks the invariant, that the fence holds (a new
   * disk plugs elsewhere) and that removing leftovers (and unplugging what is recorded) leaves QEMU
   * and the state in agreement. Returns the first reconciliation.
   */
  private Reconciliation restoreCheckAndClean() throws IOException {
    try (Sandbox sb = Sandbox.restore(h.store, h.sandbox.id())) {
      Reconciliation r = sb.reconcile();
      System.out.println("ControllerKillIT: reconciled: " + r);
      SandboxState st = h.state();
      Set<String> recorded = recordedQemuIds(st);
      Set<String> missing = new HashSet<>();
      r.missing().forEach(m -> missing.add(m.qemuId()));
      Set<String> expected = new TreeSet<>(recorded);
      expected.removeAll(missing);
      r.leftovers().stream()
          .filter(l -> l.kind() == LeftoverKind.DEVICE)
          .forEach(l -> expected.add(l.id()));
      assertThat(hotplugged(sb)).as("QEMU's hot-plugged devices").isEqualTo(expected);
      // named nodes: those of the recorded disks QEMU has and of the leftovers; a recorded disk
      // QEMU lacks (killed in its unplug, between device_del and the save) may keep its node
      Set<String> nodes = new TreeSet<>(recordedNodes(st));
      Set<String> maybe = new TreeSet<>();
      missing.forEach(m -> maybe.add(m.substring("virtio-".length())));
      nodes.removeAll(maybe);
      r.leftovers().forEach(l -> nodes.addAll(l.nodes()));
      List<String> actual = namedNodes(sb);
      assertThat(actual).as("QEMU's named block nodes").containsAll(nodes);
      Set<String> allowed = new TreeSet<>(nodes);
      allowed.addAll(maybe);
      assertThat(allowed).as("QEMU's named block nodes").containsAll(actual);
      for (Leftover l : r.leftovers()) {
        if (!l.bridge().isEmpty()) {
          assertThat(slotHolders(st)).as("fenced").contains(l.id());
        }
      }
      Device fresh = sb.devices().plugDisk(DiskSpec.raw(h.disk("fresh.raw", 1)));
      assertThat(r.leftovers()).extracting(Leftover::pciPath).doesNotContain(fresh.pciPath());
      sb.devices().unplug(fresh.id());

      Reconciliation removed = sb.reconcile(ReconcileOptions.removingLeftovers());
      assertThat(removed.leftovers()).allMatch(Leftover::removed);
      for (String gone : ids(r.leftovers())) {
        assertThat(hotplugged(sb)).doesNotContain(gone);
        assertThat(namedNodes(sb)).doesNotContain(gone);
        assertThat(slotHolders(h.state())).doesNotContain(gone);
      }
      for (DeviceState d :
          h.state().devices() == null ? List.<DeviceState>of() : h.state().devices()) {
        sb.devices().unplug(d.id()); // recorded and present, or recorded and missing: both go
      }
      Reconciliation after = sb.reconcile();
      assertThat(after.agrees()).as(after.toString()).isTrue();
      assertThat(hotplugged(sb)).isEmpty();
      assertThat(namedNodes(sb)).isEmpty();
      return r;
    }
  }

  private static List<String> namedNodes(Sandbox sb) {
    return sb.qmp().call(new QueryNamedBlockNodes()).stream()
        .map(BlockNodeInfo::nodeName)
        .filter(n -> !n.startsWith("#"))
        .toList();
  }

  private static List<String> ids(List<Leftover> ls) {
    return ls.stream().map(Leftover::id).toList();
  }

  private static Set<String> recordedQemuIds(SandboxState st) {
    Set<String> ids = new TreeSet<>();
    for (DeviceState d : st.devices() == null ? List.<DeviceState>of() : st.devices()) {
      ids.add("virtio-" + d.blockDrive().id());
    }
    return ids;
  }

  private static Set<String> recordedNodes(SandboxState st) {
    Set<String> ids = new TreeSet<>();
    for (DeviceState d : st.devices() == null ? List.<DeviceState>of() : st.devices()) {
      ids.add(d.blockDrive().id());
    }
    return ids;
  }

  private static Set<String> slotHolders(SandboxState st) {
    Set<String> ids = new TreeSet<>();
    for (Bridge b : st.hypervisorState().bridges()) {
      ids.addAll(b.deviceAddr().values());
    }
    return ids;
  }

  /** The devices QEMU says were hot-plugged (QOM's {@code hotplugged}), read here directly. */
  private static Set<String> hotplugged(Sandbox sb) {
    Set<String> ids = new TreeSet<>();
    for (QomProperty p : sb.qmp().call(new QomList(QomList.PERIPHERAL))) {
      if (p.isChild()) {
        try {
          var path = QomList.PERIPHERAL + "/" + p.name();
          if (sb.qmp().call(new QomGet(path, "hotplugged")).asBoolean()) {
            ids.add(p.name());
          }
        } catch (QmpCommandException e) {
          throw new AssertionError(e);
        }
      }
    }
    return ids;
  }
}
