package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.core.api.StateException;

/**
 * {@link Sandbox#detach()} and {@link Sandbox#close()} on a real QEMU (q35, TCG, the halting
 * kernel): the object lets go (its QMP connection and supervision end), QEMU runs on, the state
 * stays {@code running} byte for byte, and another controller restores the sandbox (on the
 * controller socket the first one freed) and works on it; closing that one is a detach too.
 */
class SandboxDetachIT {
  final BlockingQueue<SandboxEvent> heard = new LinkedBlockingQueue<>();
  HaltedSandbox h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aDetachedSandboxRunsOnAndAnotherControllerTakesOver() throws Exception {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h =
        HaltedSandbox.start(
            "dt1",
            b ->
                b.editKata(k -> k.pcieRootPort(2).blockDeviceDriver("virtio-blk"))
                    .editLive(l -> l.nativePcieHotplug(true)),
            SandboxOptions.defaults().withListener(heard::add));
    Sandbox first = h.sandbox;
    Device d = first.devices().plugDisk(DiskSpec.raw(h.disk("a.raw", 1)));
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isInstanceOf(SandboxEvent.DeviceAdded.class);
    long pid = first.pid();
    ProcessHandle qemu = ProcessHandle.of(pid).orElseThrow();
    byte[] before = h.stateBytes();

    first.detach();
    first.detach(); // idempotent
    assertThat(first.status()).isEqualTo(Sandbox.Status.DETACHED);
    assertThat(first.qmp().isConnected()).isFalse();
    assertThat(qemu.isAlive()).as("QEMU runs on").isTrue();
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
    assertThat(h.state().state()).isEqualTo(Sandbox.STATE_RUNNING);
    assertThat(Sandbox.list(h.store))
        .containsExactly(new SandboxSummary("dt1", Sandbox.STATE_RUNNING, pid));
    assertThatThrownBy(first::stop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("detached; stop it by id");
    assertThatThrownBy(() -> first.devices().unplug(d.id()))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("is not running here (DETACHED");
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));

    Sandbox second = Sandbox.restore(h.store, "dt1");
    try (second) {
      assertThat(second.pid()).isEqualTo(pid);
      assertThat(second.devices().list()).extracting(Device::id).containsExactly(d.id());
      second.devices().unplug(d.id());
      assertThat(h.state().devices()).isNullOrEmpty();
    }
    assertThat(second.status()).as("close() is detach()").isEqualTo(Sandbox.Status.DETACHED);
    assertThat(qemu.isAlive()).as("QEMU runs on after close()").isTrue();
    assertThat(h.state().state()).isEqualTo(Sandbox.STATE_RUNNING);

    try (Sandbox third = Sandbox.restore(h.store, "dt1")) {
      assertThat(third.status()).isEqualTo(Sandbox.Status.RUNNING);
      assertThat(third.devices().list()).isEmpty();
      third.stop();
    }
    assertThat(qemu.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(h.state().state()).isEqualTo(Sandbox.STATE_STOPPED);
    // the detached object no longer supervises: it heard nothing after its own plug
    assertThat(heard.poll(500, TimeUnit.MILLISECONDS)).isNull();
    assertThat(List.copyOf(heard)).isEmpty();
  }
}
