package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.files.SpecialFiles;
import org.vmm4j.testing.qemu.TestAssets;

/** Every validation rule fails with a message naming the field and the value. */
class HypervisorConfigValidationTest {
  @TempDir Path dir;
  TestAssets a;

  @BeforeEach
  void assets() {
    a = TestAssets.create(dir);
  }

  private void fails(
      UnaryOperator<HypervisorConfigBuilder> change, String field, String... fragments) {
    HypervisorConfigBuilder b = change.apply(initrdConfig(a));
    assertThatThrownBy(() -> b.build().validate(2))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(field)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void aValidConfigPassesAndComesBackWithDefaults() {
    HypervisorConfig c = initrdConfig(a).build().validate(2);
    assertThat(c.memorySize()).isEqualTo(2048);
    assertThat(c.defaultMaxVCPUs()).isEqualTo(2);
  }

  @Test
  void missingKernel() {
    fails(b -> b.kernelPath(""), "KernelPath", "missing");
  }

  @Test
  void imageAndInitrdBothSet() {
    fails(
        b -> b.imagePath(a.image().toString()),
        "ImagePath",
        a.image().toString(),
        a.initrd().toString(),
        "both set");
  }

  @Test
  void neitherImageNorInitrd() {
    fails(b -> b.initrdPath(""), "ImagePath", "both empty");
  }

  @Test
  void vcpusAboveTheMaximum() {
    fails(b -> b.numVCPUs(8).defaultMaxVCPUs(4), "NumVCPUs", "NumVCPUs=8", "DefaultMaxVCPUs=4");
  }

  @Test
  void vcpusAboveTheDefaultMaximumOfASmallHost() {
    fails(b -> b.numVCPUs(3), "NumVCPUs", "NumVCPUs=3", "DefaultMaxVCPUs=2");
  }

  @Test
  void maxVcpusAboveTheMachineLimit() {
    fails(b -> b.defaultMaxVCPUs(256), "DefaultMaxVCPUs", "256", "pc", "255");
    initrdConfig(a).hypervisorMachineType("q35").defaultMaxVCPUs(288).build().validate(2);
    fails(
        b -> b.hypervisorMachineType("q35").defaultMaxVCPUs(289), "DefaultMaxVCPUs", "289", "288");
  }

  @Test
  void memoryBelow128MiB() {
    fails(b -> b.memorySize(127), "MemorySize", "MemorySize=127", "128 MiB");
    initrdConfig(a).memorySize(128).build().validate(2);
  }

  @Test
  void unknownMachineType() {
    fails(
        b -> b.hypervisorMachineType("virt"), "HypervisorMachineType", "virt", "pc, q35, microvm");
    fails(b -> b.hypervisorMachineType("pc-lite"), "HypervisorMachineType", "pc-lite");
  }

  @Test
  void pathsThatDoNotExist() {
    String missing = dir.resolve("missing").toString();
    fails(b -> b.kernelPath(missing), "KernelPath", missing, "does not exist");
    fails(b -> b.initrdPath(missing), "InitrdPath", missing, "does not exist");
    fails(b -> b.initrdPath("").imagePath(missing), "ImagePath", missing, "does not exist");
    fails(b -> b.hypervisorPath(missing), "HypervisorPath", missing, "does not exist");
    fails(b -> b.firmwarePath(missing), "FirmwarePath", missing);
    fails(b -> b.entropySource(missing), "EntropySource", missing);
    fails(b -> b.pflash(List.of(missing)), "PFlash", missing);
    fails(b -> b.fileBackedMemRootDir(missing), "FileBackedMemRootDir", missing);
  }

  @Test
  void wrongKindsOfFile() throws Exception {
    fails(b -> b.kernelPath(dir.toString()), "KernelPath", "not a regular file");
    fails(b -> b.hypervisorPath(a.initrd().toString()), "HypervisorPath", "not executable");
    fails(b -> b.fileBackedMemRootDir(a.initrd().toString()), "FileBackedMemRootDir", "directory");
    Path empty = Files.createFile(dir.resolve("empty.img"));
    fails(b -> b.initrdPath(empty.toString()), "InitrdPath", "empty");
  }

  @Test
  void aFifoOrADeviceIsNoAssetThroughALinkEither() throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("vmlinuz.fifo"));
    fails(b -> b.kernelPath(fifo.toString()), "KernelPath", "is not a regular file (a FIFO");
    Path zero = SpecialFiles.link(dir.resolve("zero.img"), SpecialFiles.DEV_ZERO);
    fails(
        b -> b.initrdPath(zero.toString()),
        "InitrdPath",
        "is not a regular file (a character device, /dev/zero)");
    fails(b -> b.firmwarePath(fifo.toString()), "FirmwarePath", "is not a regular file (a FIFO");
  }

  @Test
  void initrdAsLargeAsMemory() throws Exception {
    Path big = dir.resolve("big.initrd");
    Files.write(big, new byte[129 * 1024 * 1024]);
    fails(b -> b.initrdPath(big.toString()).memorySize(128), "InitrdPath", "129 MiB", "128");
  }

  @Test
  void templateRules() {
    fails(b -> b.bootToBeTemplate(true).bootFromTemplate(true), "BootToBeTemplate", "both set");
    fails(b -> b.bootToBeTemplate(true), "MemoryPath", "BootToBeTemplate");
    fails(
        b -> b.bootFromTemplate(true).memoryPath(a.initrd().toString()),
        "DevicesStatePath",
        "missing");
    fails(
        b ->
            b.bootToBeTemplate(true)
                .memoryPath(a.dir("template").resolve("m").toString())
                .fileBackedMemRootDir(a.dir("shm").toString()),
        "BootToBeTemplate",
        "FileBackedMemRootDir");
  }

  @Test
  void virtioFsRules() {
    fails(b -> b.sharedFS("nfs"), "SharedFS", "nfs");
    fails(b -> b.sharedFS("virtio-fs"), "VirtioFSDaemon", "missing");
    fails(
        b -> b.sharedFS("virtio-fs").virtioFSDaemon(a.initrd().toString()),
        "VirtioFSDaemon",
        "not executable");
    fails(
        b ->
            b.sharedFS("virtio-fs")
                .virtioFSDaemon(a.virtiofsd().toString())
                .virtioFSCacheSize(1024),
        "VirtioFSCacheSize",
        "1024",
        "DAX");
  }

  @Test
  void vhostUserStoreNeedsSharedMemory() {
    UnaryOperator<HypervisorConfigBuilder> store =
        b -> b.enableVhostUserStore(true).vhostUserStorePath(a.dir("vhost-user").toString());
    fails(store, "EnableVhostUserStore", "shared guest memory");
    store.apply(initrdConfig(a)).hugePages(true).build().validate(2);
    store.apply(initrdConfig(a)).sharedMemory(true).build().validate(2);
    store.apply(initrdConfig(a)).fileBackedMemRootDir(a.dir("shm").toString()).build().validate(2);
    fails(
        b -> b.enableVhostUserStore(true).sharedMemory(true).vhostUserStorePath("/nonexistent"),
        "VhostUserStorePath",
        "/nonexistent");
  }

  @Test
  void limitsAndRanges() {
    fails(b -> b.memSlots(256), "MemSlots", "256");
    fails(b -> b.defaultBridges(6), "DefaultBridges", "6");
    fails(b -> b.numVCPUs(-1), "NumVCPUs", "-1");
    fails(b -> b.memOffset(4_294_967_296L), "MemOffset", "4294967296");
    fails(b -> b.blockDeviceDriver("virtio-blk-ccw"), "BlockDeviceDriver", "virtio-blk-ccw");
  }

  @Test
  void machineSpecificFeatures() {
    fails(b -> b.iommu(true), "IOMMU", "q35", "pc");
    fails(b -> b.nativePcieHotplug(true), "NativePCIeHotplug", "q35");
    fails(
        b -> b.hypervisorMachineType("microvm").initrdPath("").imagePath(a.image().toString()),
        "DisableImageNvdimm",
        "microvm");
    fails(b -> b.hypervisorMachineType("microvm").useVSock(true), "UseVSock", "microvm");
  }

  @Test
  void kernelParamsWithAnEmptyKey() {
    fails(
        b -> b.kernelParams(List.of(new KernelParam("", "x"))), "KernelParams", "=x", "empty key");
    fails(b -> b.kernelParams(List.of(new KernelParam("a", "b c"))), "KernelParams", "whitespace");
  }
}
