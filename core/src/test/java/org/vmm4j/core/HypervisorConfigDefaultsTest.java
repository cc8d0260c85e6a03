package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;

/**
 * Kata's {@code valid()} defaults plus katautils' and vmm4j's limits (no clamp of vCPUs to the
 * host's CPUs; DefaultMaxVCPUs 0 is the host's count, at most 240).
 */
class HypervisorConfigDefaultsTest {

  @Test
  void zeroValuesGetKataDefaults() {
    HypervisorConfig c = ConfigLoader.withDefaults(HypervisorConfig.zero(), 8);
    assertThat(c.kata().numVcpus()).isEqualTo(1);
    assertThat(c.kata().memorySize()).isEqualTo(2048);
    assertThat(c.kata().defaultBridges()).isEqualTo(1);
    assertThat(c.kata().blockDeviceDriver()).isEqualTo("virtio-scsi");
    assertThat(c.kata().defaultMaxVcpus()).isEqualTo(8);
    assertThat(c.kata().msize9p()).isEqualTo(8192);
    assertThat(c.kata().memSlots()).isEqualTo(10);
    assertThat(c.kata().hypervisorMachineType()).isEqualTo("pc");
    assertThat(c.kata().hypervisorPath()).isEqualTo("/usr/bin/qemu-system-x86_64");
    assertThat(c.live().accelerator()).isEqualTo(Accelerator.AUTO);
  }

  @Test
  void defaultMaxVcpusIsTheHostCountCappedAt240() {
    assertThat(ConfigLoader.withDefaults(HypervisorConfig.zero(), 2).kata().defaultMaxVcpus())
        .isEqualTo(2);
    assertThat(ConfigLoader.withDefaults(HypervisorConfig.zero(), 512).kata().defaultMaxVcpus())
        .isEqualTo(240);
  }

  @Test
  void explicitMaxVcpusIsKeptEvenAboveTheHostCount() {
    HypervisorConfig c =
        ConfigLoader.withDefaults(
            HypervisorConfig.of(HypervisorConfig.kataBuilder().defaultMaxVcpus(64).build()), 2);
    assertThat(c.kata().defaultMaxVcpus()).isEqualTo(64);
  }

  @Test
  void msize9pStaysZeroWithVirtioFs() {
    HypervisorConfig c =
        ConfigLoader.withDefaults(
            HypervisorConfig.of(HypervisorConfig.kataBuilder().sharedFs("virtio-fs").build()), 2);
    assertThat(c.kata().msize9p()).isZero();
  }

  @Test
  void explicitValuesAreKept() {
    HypervisorConfig c =
        ConfigLoader.withDefaults(
            HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .numVcpus(3)
                    .memorySize(4096)
                    .defaultBridges(2)
                    .blockDeviceDriver("virtio-blk")
                    .msize9p(4096)
                    .memSlots(4)
                    .hypervisorMachineType("q35")
                    .build()),
            2);
    assertThat(c.kata().numVcpus()).isEqualTo(3);
    assertThat(c.kata().memorySize()).isEqualTo(4096);
    assertThat(c.kata().defaultBridges()).isEqualTo(2);
    assertThat(c.kata().blockDeviceDriver()).isEqualTo("virtio-blk");
    assertThat(c.kata().msize9p()).isEqualTo(4096);
    assertThat(c.kata().memSlots()).isEqualTo(4);
    assertThat(c.kata().hypervisorMachineType()).isEqualTo("q35");
  }

  @Test
  void liveNullsBecomeDefaultsAndKataStringsAreNeverNull() {
    HypervisorConfig c = HypervisorConfig.zero().editLive(l -> l.pflash(null).accelerator(null));
    assertThat(c.kata().kernelPath()).isEmpty();
    assertThat(c.kata().enableAnnotations()).isNull();
    assertThat(c.live().pflash()).isEmpty();
    assertThat(c.live().accelerator()).isEqualTo(Accelerator.AUTO);
    assertThat(c).isEqualTo(HypervisorConfig.zero());
    // a Go string has no nil: Kata's record refuses null, naming the field
    assertThatThrownBy(() -> HypervisorConfig.kataBuilder().kernelPath(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("KernelPath");
  }

  @Test
  void memorySizesAreLongs() {
    HypervisorConfig c =
        HypervisorConfig.of(HypervisorConfig.kataBuilder().memorySize(4_294_967_295L).build());
    assertThat(c.kata().memorySize()).isEqualTo(4_294_967_295L);
  }
}
