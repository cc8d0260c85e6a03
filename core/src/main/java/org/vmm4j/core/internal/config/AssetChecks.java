package org.vmm4j.core.internal.config;

import static org.vmm4j.core.api.ConfigException.invalid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.persist.HypervisorConfig;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;

/**
 * The file-system half of validation: every path a config names must exist with the right kind
 * (regular file, its links resolved: never a FIFO or a device; directory; executable), an image or
 * initrd must not be empty, and an initrd must be smaller than guest memory (katautils' {@code
 * checkHypervisorConfig}; an image as large as memory is only a warning there, and here).
 */
final class AssetChecks {
  private static final Logger LOG = LoggerFactory.getLogger(AssetChecks.class);
  private static final long MIB = 1024 * 1024;

  private AssetChecks() {}

  static void check(HypervisorConfig c, LiveSettings l) {
    executable("HypervisorPath", c.hypervisorPath());
    regularFile("KernelPath", c.kernelPath());
    if (!c.imagePath().isEmpty()) {
      long size = nonEmptyFile("ImagePath", c.imagePath());
      if (size / MIB >= c.memorySize()) {
        LOG.warn(
            "HypervisorConfig: ImagePath={} ({} MiB) is not smaller than MemorySize={} MiB",
            c.imagePath(),
            size / MIB,
            c.memorySize());
      }
    }
    if (!c.initrdPath().isEmpty()) {
      long size = nonEmptyFile("InitrdPath", c.initrdPath());
      if (size / MIB >= c.memorySize()) {
        throw invalid(
            "InitrdPath",
            c.initrdPath(),
            "(" + size / MIB + " MiB) is not smaller than MemorySize=" + c.memorySize() + " MiB");
      }
    }
    optionalFile("FirmwarePath", c.firmwarePath());
    optionalExists("EntropySource", c.entropySource());
    for (String p : l.pflash()) {
      regularFile("PFlash", p);
    }
    checkMemoryAndDaemons(c);
  }

  private static void checkMemoryAndDaemons(HypervisorConfig c) {
    if (!c.fileBackedMemRootDir().isEmpty()) {
      directory("FileBackedMemRootDir", c.fileBackedMemRootDir());
    }
    if (KataFacts.usesVirtioFs(c)) {
      executable("VirtioFSDaemon", c.virtioFsDaemon());
    }
    if (c.enableVhostUserStore()) {
      directory("VhostUserStorePath", c.vhostUserStorePath());
    }
    if (c.bootFromTemplate()) {
      regularFile("MemoryPath", c.memoryPath());
      regularFile("DevicesStatePath", c.devicesStatePath());
    }
    if (c.bootToBeTemplate()) {
      Path parent = Path.of(c.memoryPath()).toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw invalid("MemoryPath", c.memoryPath(), "is in a directory that does not exist");
      }
    }
  }

  private static Path exists(String field, String path) {
    if (path.isEmpty()) {
      throw invalid(field, path, "is empty");
    }
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw invalid(field, path, "does not exist");
    }
    return p;
  }

  /** Refuses a FIFO, device, socket or directory ({@link InputFiles}), its links resolved. */
  private static Path regularFile(String field, String path) {
    Path p = exists(field, path);
    try {
      InputFiles.requireRegular(p);
    } catch (InputFileException e) {
      throw invalid(field, path, "is " + e.getReason());
    } catch (IOException e) {
      throw new ConfigException(
          field, path, "HypervisorConfig: " + field + "=" + path + " cannot be read: " + e, e);
    }
    return p;
  }

  private static void executable(String field, String path) {
    if (!Files.isExecutable(regularFile(field, path))) {
      throw invalid(field, path, "is not executable");
    }
  }

  private static void directory(String field, String path) {
    if (!Files.isDirectory(exists(field, path))) {
      throw invalid(field, path, "is not a directory");
    }
  }

  private static void optionalFile(String field, String path) {
    if (!path.isEmpty()) {
      regularFile(field, path);
    }
  }

  private static void optionalExists(String field, String path) {
    if (!path.isEmpty()) {
      exists(field, path);
    }
  }

  private static long nonEmptyFile(String field, String path) {
    Path p = regularFile(field, path);
    try {
      long size = Files.size(p);
      if (size == 0) {
        throw invalid(field, path, "is empty (0 bytes)");
      }
      return size;
    } catch (IOException e) {
      throw new ConfigException(
          field, path, "HypervisorConfig: " + field + "=" + path + " cannot be read: " + e, e);
    }
  }
}
