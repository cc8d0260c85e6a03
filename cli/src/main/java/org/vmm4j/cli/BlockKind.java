package org.vmm4j.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.BlockFormat;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmm4j hotplug ID block --file PATH [--format raw|qcow2] [--readonly] [--share-rw]
 * [--driver D]}.
 */
@Command(
    name = "block",
    description = {
      "A disk (a regular file or a block device): virtio-blk on a bridge slot or root port (a"
          + " PCI path), or a SCSI disk on the sandbox's virtio-scsi controller (DETAILS:"
          + " scsi=ID:LUN). DEVICE-ID is the DeviceState ID."
    })
final class BlockKind extends HotplugKind {
  @Option(names = "--file", required = true, paramLabel = "PATH", description = "Image or device.")
  Path file;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "raw",
      description = "raw or qcow2 (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--readonly", description = "The guest may only read it.")
  boolean readOnly;

  @Option(
      names = "--share-rw",
      description =
          "Plug it read-write even when another sandbox of this state root has the same file"
              + " plugged (refused by default, exit 2: two guests writing one disk corrupt it"
              + " unless it is made for that).")
  boolean shareRw;

  @Option(
      names = "--driver",
      paramLabel = "DRIVER",
      description = "virtio-blk or virtio-scsi (default: the sandbox's BlockDeviceDriver).")
  String driver;

  private DiskSpec disk;

  @Override
  void check() {
    if (file.toString().isEmpty()) {
      throw bad("--file \"\": an empty path");
    }
    try {
      InputFiles.requireRegularOrBlockDevice(file);
    } catch (NoSuchFileException e) {
      throw bad("--file " + file + ": no such file");
    } catch (InputFileException e) {
      throw bad("--file " + e.getMessage());
    } catch (IOException e) {
      throw bad("--file " + file + ": " + e);
    }
    BlockFormat f;
    try {
      f = BlockFormat.of(format);
    } catch (IllegalArgumentException e) {
      throw bad("--format " + Errors.quoted(format) + ": raw or qcow2");
    }
    disk =
        DiskSpec.raw(file.toAbsolutePath())
            .withFormat(f)
            .withReadOnly(readOnly)
            .withSharedWrite(shareRw);
    if (driver != null) {
      disk = disk.withDriver(driver(driver));
    }
  }

  private BlockDriver driver(String name) {
    for (BlockDriver d : BlockDriver.values()) {
      if (d.kataName().equals(name)) {
        return d;
      }
    }
    throw bad("--driver " + Errors.quoted(name) + ": virtio-blk or virtio-scsi");
  }

  @Override
  List<Device> plug(Sandbox sandbox) {
    return List.of(sandbox.devices().plugDisk(disk));
  }
}
