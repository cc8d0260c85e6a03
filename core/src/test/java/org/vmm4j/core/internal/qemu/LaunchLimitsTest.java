package org.vmm4j.core.internal.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.AssetConfigs;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Each host limit refuses the first value past it, naming the field, the value and the limit, and
 * takes the value at it (the limits themselves are QEMU's: {@code QemuHostLimitsIT}).
 */
class LaunchLimitsTest {
  static final HostCapabilities TCG = new HostCapabilities(false, true, false, false, 24000);
  static final HostCapabilities KVM = new HostCapabilities(true, true, false, false, 24000);
  static final HostMemory NO_SWAP = new HostMemory(24000L * 1024 + 500, 0, 0);

  @TempDir Path dir;
  HypervisorConfig base;

  @BeforeEach
  void config() {
    base = AssetConfigs.initrdConfig(TestAssets.create(dir));
  }

  private HypervisorConfig valid(HypervisorConfig c) {
    return ConfigLoader.validate(c, 4);
  }

  private void accepts(HypervisorConfig c, HostCapabilities host, HostMemory m) {
    assertThatCode(() -> LaunchLimits.check(valid(c), host, Optional.of(m)))
        .doesNotThrowAnyException();
  }

  private void refuses(
      HypervisorConfig c, HostCapabilities host, HostMemory m, String field, String... text) {
    HypervisorConfig v = valid(c);
    assertThatThrownBy(() -> LaunchLimits.check(v, host, Optional.of(m)))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith("HypervisorConfig: " + field + "=")
        .satisfies(e -> List.of(text).forEach(t -> assertThat(e.getMessage()).contains(t)));
  }

  @Test
  void memoryMustStayBelowMaxmem() {
    // maxmem = 24000 + 1024 + MemOffset; the memfd backend keeps the host-memory rule out
    HypervisorConfig c = base.editLive(l -> l.sharedMemory(true));
    accepts(c.editKata(k -> k.memorySize(25023)), TCG, NO_SWAP);
    refuses(
        c.editKata(k -> k.memorySize(25024)),
        TCG,
        NO_SWAP,
        "MemorySize",
        "MemorySize=25024 MiB is not below maxmem=25024 MiB",
        "MemOffset=0");
    accepts(c.editKata(k -> k.memorySize(25024).memOffset(1)), TCG, NO_SWAP);
  }

  @Test
  void microvmHasNoMaxmem() {
    HypervisorConfig c =
        base.editKata(k -> k.hypervisorMachineType("microvm").memorySize(30000))
            .editLive(l -> l.sharedMemory(true));
    accepts(c, TCG, NO_SWAP);
  }

  @Test
  void plainRamMustFitTheHostUnderTheHeuristic() {
    HypervisorConfig c = base.editKata(k -> k.memOffset(10000));
    accepts(c.editKata(k -> k.memorySize(24000)), TCG, NO_SWAP);
    refuses(
        c.editKata(k -> k.memorySize(24001)),
        TCG,
        NO_SWAP,
        "MemorySize",
        "MemorySize=24001 MiB is more than this host's 24000 MiB of memory and 0 MiB of swap",
        "vm.overcommit_memory=0");
    HostMemory swap = new HostMemory(NO_SWAP.memTotalKiB(), 2048 * 1024, 0);
    accepts(c.editKata(k -> k.memorySize(26000)), TCG, swap);
    HostMemory always = new HostMemory(NO_SWAP.memTotalKiB(), 0, 1);
    accepts(c.editKata(k -> k.memorySize(30000)), TCG, always);
    accepts(c.editKata(k -> k.memorySize(30000)).editLive(l -> l.sharedMemory(true)), TCG, NO_SWAP);
    assertThatCode(
            () ->
                LaunchLimits.check(
                    valid(c.editKata(k -> k.memorySize(30000))), TCG, Optional.empty()))
        .as("no host memory known")
        .doesNotThrowAnyException();
  }

  @Test
  void maxmemMustFitTcgsAddressSpace() {
    // q35, 2048 MiB, 10 slots: 991232 MiB of maxmem at most; maxmem = 24000 + 1024 + MemOffset
    HypervisorConfig q35 = base.editKata(k -> k.hypervisorMachineType("q35"));
    accepts(q35.editKata(k -> k.memOffset(991232 - 25024)), TCG, NO_SWAP);
    refuses(
        q35.editKata(k -> k.memOffset(991233 - 25024)),
        TCG,
        NO_SWAP,
        "MemOffset",
        "MemOffset=966209 makes maxmem=991233 MiB",
        "at most 991232 MiB with MemorySize=2048 MiB and MemSlots=10 on q35");
    accepts(q35.editKata(k -> k.memOffset(991233 - 25024)), KVM, NO_SWAP);
    // pc: a 2 GiB hole instead of 32
    HypervisorConfig pc = base.editKata(k -> k.memSlots(1));
    accepts(pc.editKata(k -> k.memOffset(1031168 - 25024)), TCG, NO_SWAP);
    refuses(pc.editKata(k -> k.memOffset(1031169 - 25024)), TCG, NO_SWAP, "MemOffset");
  }

  @Test
  void theLimitFollowsQemusRamSplit() {
    assertThat(GuestAddressSpace.tcgMaxMemMiB(org.vmm4j.core.api.MachineType.Q35, 3000, 10))
        .isEqualTo(991160);
    assertThat(GuestAddressSpace.tcgMaxMemMiB(org.vmm4j.core.api.MachineType.PC, 4096, 10))
        .isEqualTo(1022976);
    assertThat(GuestAddressSpace.tcgMaxMemMiB(org.vmm4j.core.api.MachineType.PC, 3583, 10))
        .isEqualTo(1023487);
  }

  @Test
  void tcgTakesAtMost255Vcpus() {
    HypervisorConfig q35 = base.editKata(k -> k.hypervisorMachineType("q35"));
    accepts(q35.editKata(k -> k.defaultMaxVcpus(255)), TCG, NO_SWAP);
    accepts(q35.editKata(k -> k.defaultMaxVcpus(288)), KVM, NO_SWAP);
    refuses(
        q35.editKata(k -> k.defaultMaxVcpus(256)),
        TCG,
        NO_SWAP,
        "DefaultMaxVCPUs",
        "DefaultMaxVCPUs=256 is above 255",
        "TCG");
    refuses(
        q35.editKata(k -> k.defaultMaxVcpus(256)).editLive(l -> l.accelerator(Accelerator.TCG)),
        KVM,
        NO_SWAP,
        "DefaultMaxVCPUs");
  }

  @Test
  void vsockNeedsTheHostDevice() {
    refuses(base.editKata(k -> k.useVsock(true)), TCG, NO_SWAP, "UseVSock", "/dev/vhost-vsock");
  }

  @Test
  void kvmMustBeUsableWhenAskedFor() {
    refuses(
        base.editLive(l -> l.accelerator(Accelerator.KVM)),
        TCG,
        NO_SWAP,
        "Accelerator",
        "KVM is not usable");
  }
}
