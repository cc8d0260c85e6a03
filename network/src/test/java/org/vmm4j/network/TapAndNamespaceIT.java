package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named namespaces, work on their threads, tuntap queues and macvtap character devices. */
class TapAndNamespaceIT {

  @Test
  void namedNamespaceLikeIpNetns() {
    NetNs ns = TestNamespaces.create("nsa");
    String name = ns.name();
    try {
      assertThat(NetNs.exists(name)).isTrue();
      assertThat(TestNamespaces.ip("netns", "list")).contains(name);
      assertThatThrownBy(() -> NetNs.create(name))
          .isInstanceOf(NetlinkException.Exists.class)
          .hasMessageContaining("netns add")
          .hasMessageContaining("File exists (EEXIST)");
      // What we create in it is what `ip netns exec` sees, and nothing leaks into the host.
      ns.run(ctx -> ctx.netlink().links().create(new LinkSpec.Veth("tva0", "tvb0")));
      assertThat(TestNamespaces.ip("-n", name, "-o", "link")).contains("tva0");
      assertThat(TestNamespaces.ip("-o", "link")).doesNotContain("tva0");
      // A second handle on the same namespace sees the same links.
      try (NetNs again = NetNs.open(name)) {
        Optional<Link> peer = again.run(ctx -> ctx.netlink().links().find("tvb0"));
        assertThat(peer).isPresent();
      }
    } finally {
      ns.delete();
    }
    assertThat(NetNs.exists(name)).isFalse();
    assertThat(TestNamespaces.ip("netns", "list")).doesNotContain(name);
    assertThatThrownBy(() -> NetNs.delete(name)).isInstanceOf(NetlinkException.NotFound.class);
  }

  @Test
  void workHasADeadlineAndTheContextStaysOnItsThread() {
    NetNs ns = TestNamespaces.create("nsb");
    try {
      assertThatThrownBy(
              () ->
                  ns.run(
                      ctx -> {
                        Thread.sleep(400);
                        return null;
                      },
                      Duration.ofMillis(50)))
          .isInstanceOf(NetlinkException.Timeout.class)
          .hasMessageContaining("netns " + ns.name());
      String after = ns.run(ctx -> "still serving");
      assertThat(after).isEqualTo("still serving");
      AtomicReference<NetNs.Context> leaked = new AtomicReference<>();
      ns.run(
          ctx -> {
            leaked.set(ctx);
            return null;
          });
      assertThatThrownBy(() -> leaked.get().netlink()).isInstanceOf(IllegalStateException.class);
      // Namespaces are not started from inside another's work (the thread would inherit it).
      assertThatThrownBy(() -> ns.run(ctx -> NetNs.create("vmm4j-t-nested")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("from inside the work of netns " + ns.name());
      assertThat(NetNs.exists("vmm4j-t-nested")).isFalse();
      // A failure inside keeps its type.
      assertThatThrownBy(() -> ns.run(ctx -> ctx.netlink().links().get("nosuch0")))
          .isInstanceOf(NetlinkException.NotFound.class);
    } finally {
      ns.delete();
    }
  }

  @Test
  void multiQueueTapThroughDevNetTun() {
    NetNs ns = TestNamespaces.create("tap");
    try {
      ns.run(
          ctx -> {
            try (TapDevice tap = ctx.openTap(TapDevice.Config.kata("ttap0", 3))) {
              assertThat(tap.queues()).hasSize(3).allMatch(OwnedFd::isOpen);
              Link link = ctx.netlink().links().get("ttap0");
              assertThat(link.kind()).isEqualTo("tun");
              assertThat(link.details())
                  .isEqualTo(new LinkDetails.Tun(true, true, true, true, false));
            }
            // Persistent: the device outlives its queues; netlink deletes it.
            Link link = ctx.netlink().links().get("ttap0");
            ctx.netlink().links().delete(link.index());
            assertThat(ctx.netlink().links().find("ttap0")).isEmpty();
            return null;
          });
    } finally {
      ns.delete();
    }
  }

  @Test
  void macvtapQueuesThroughAMknodedCharacterDevice() {
    NetNs ns = TestNamespaces.create("mvt");
    try {
      ns.run(
          ctx -> {
            Links links = ctx.netlink().links();
            Link veth = links.create(new LinkSpec.Veth("tva0", "tvb0"));
            int index = 8192 + 4321;
            Link mvt =
                links.create(
                    new LinkSpec.Macvtap(
                        "tmvt0", veth.index(), LinkDetails.Macvlan.MODE_BRIDGE, 0, index));
            assertThat(mvt.index()).isEqualTo(index);
            assertThat(mvt.kind()).isEqualTo("macvtap");
            assertThat(mvt.details()).isEqualTo(new LinkDetails.Macvlan(4));
            assertThat(mvt.parentIndex()).isEqualTo(veth.index());
            // The host's /sys does not show this namespace; the context's private sysfs does.
            assertThat(Files.exists(ctx.sysfs().resolve("class/net/tmvt0/macvtap/tap" + index)))
                .isTrue();
            try (TapDevice q = ctx.openMacvtap(mvt, 2, TapDevice.DEV_DIR)) {
              assertThat(q.queues()).hasSize(2).allMatch(OwnedFd::isOpen);
            }
            assertThatThrownBy(
                    () -> links.create(new LinkSpec.Macvtap("tmvt1", veth.index(), 4, 0, index)))
                // a taken index: EBUSY on older kernels, EEXIST on newer ones
                .isInstanceOfAny(NetlinkException.Busy.class, NetlinkException.Exists.class);
            links.delete(mvt.index());
            return null;
          });
      assertThat(Files.exists(Path.of("/sys/class/net/tmvt0"))).isFalse();
    } finally {
      ns.delete();
    }
  }

  @Test
  void withoutADeviceNodeOneIsMknodedAndRemovedAgain(@TempDir Path devDir) {
    NetNs ns = TestNamespaces.create("mkn");
    try {
      ns.run(
          ctx -> {
            Links links = ctx.netlink().links();
            Link veth = links.create(new LinkSpec.Veth("tva0", "tvb0"));
            Link mvt = links.create(new LinkSpec.Macvtap("tmvt0", veth.index(), 4, 0, 0));
            Path node = devDir.resolve("tap" + mvt.index());
            try (TapDevice q = ctx.openMacvtap(mvt, 2, devDir)) {
              assertThat(q.queues()).hasSize(2).allMatch(OwnedFd::isOpen);
              // An open queue does not need the node: it is gone again.
              assertThat(node).doesNotExist();
            }
            // A node of another device under that name is refused, not reused.
            TestNamespaces.run("mknod", node.toString(), "c", "1", "3");
            assertThatThrownBy(() -> ctx.openMacvtap(mvt, 1, devDir))
                .isInstanceOf(NetlinkException.Exists.class)
                .hasMessageContaining(node + ": exists for another device");
            assertThat(node).exists();
            return null;
          });
    } finally {
      ns.delete();
    }
  }
}
