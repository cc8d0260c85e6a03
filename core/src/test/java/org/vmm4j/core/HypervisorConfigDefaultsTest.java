package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Kata's {@code valid()} defaults plus katautils' and decision 15's (inventory 1.2, deltas 2.1).
 */
class HypervisorConfigDefaultsTest {

  @Test
  void zeroValuesGetKataDefaults() {
    HypervisorConfig c = HypervisorConfig.builder().build().withDefaults(8);
    assertThat(c.numVCPUs()).isEqualTo(1);
    assertThat(c.memorySize()).isEqualTo(2048);
    assertThat(c.defaultBridges()).isEqualTo(1);
    assertThat(c.blockDeviceDriver()).isEqualTo("virtio-scsi");
    assertThat(c.defaultMaxVCPUs()).isEqualTo(8);
    assertThat(c.msize9p()).isEqualTo(8192);
    assertThat(c.memSlots()).isEqualTo(10);
    assertThat(c.hypervisorMachineType()).isEqualTo("pc");
    assertThat(c.hypervisorPath()).isEqualTo("/usr/bin/qemu-system-x86_64");
    assertThat(c.accelerator()).isEqualTo(Accelerator.AUTO);
  }

  @Test
  void defaultMaxVcpusIsTheHostCountCappedAt240() {
    assertThat(HypervisorConfig.builder().build().withDefaults(2).defaultMaxVCPUs()).isEqualTo(2);
    assertThat(HypervisorConfig.builder().build().withDefaults(512).defaultMaxVCPUs())
        .isEqualTo(240);
  }

  @Test
  void explicitMaxVcpusIsKeptEvenAboveTheHostCount() {
    HypervisorConfig c = HypervisorConfig.builder().defaultMaxVCPUs(64).build().withDefaults(2);
    assertThat(c.defaultMaxVCPUs()).isEqualTo(64);
  }

  @Test
  void msize9pStaysZeroWithVirtioFs() {
    HypervisorConfig c = HypervisorConfig.builder().sharedFS("virtio-fs").build().withDefaults(2);
    assertThat(c.msize9p()).isZero();
  }

  @Test
  void explicitValuesAreKept() {
    HypervisorConfig c =
        HypervisorConfig.builder()
            .numVCPUs(3)
            .memorySize(4096)
            .defaultBridges(2)
            .blockDeviceDriver("virtio-blk")
            .msize9p(4096)
            .memSlots(4)
            .hypervisorMachineType("q35")
            .build()
            .withDefaults(2);
    assertThat(c.numVCPUs()).isEqualTo(3);
    assertThat(c.memorySize()).isEqualTo(4096);
    assertThat(c.defaultBridges()).isEqualTo(2);
    assertThat(c.blockDeviceDriver()).isEqualTo("virtio-blk");
    assertThat(c.msize9p()).isEqualTo(4096);
    assertThat(c.memSlots()).isEqualTo(4);
    assertThat(c.hypervisorMachineType()).isEqualTo("q35");
  }

  @Test
  void nullsBecomeGoZeroValues() {
    HypervisorConfig c =
        HypervisorConfig.builder().kernelPath(null).pflash(null).accelerator(null).build();
    assertThat(c.kernelPath()).isEmpty();
    assertThat(c.pflash()).isEmpty();
    assertThat(c.accelerator()).isEqualTo(Accelerator.AUTO);
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void memorySizesAreLongs() {
    HypervisorConfig c = HypervisorConfig.builder().memorySize(4_294_967_295L).build();
    assertThat(c.memorySize()).isEqualTo(4_294_967_295L);
  }
}
