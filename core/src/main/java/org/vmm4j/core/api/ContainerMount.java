package org.vmm4j.core.api;

import java.util.List;
import java.util.Objects;

/**
 * A mount of a container's OCI spec. A block mount's source (a host block device or image file) is
 * hot-plugged as a disk and its device recorded in {@code Mount.BlockDeviceID}; any other mount
 * (bind, tmpfs, ...) is recorded as it is.
 *
 * @param source the host path (or {@code tmpfs}, {@code shm}, ... for a file system without one)
 * @param destination where it appears in the container
 * @param type the file system type ({@code bind}, {@code tmpfs}, {@code ext4}, ...)
 * @param options the mount options
 * @param readOnly mounted read-only
 * @param block the source is hot-plugged as a disk
 */
public record ContainerMount(
    String source,
    String destination,
    String type,
    List<String> options,
    boolean readOnly,
    boolean block) {
  public ContainerMount {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(type, "type");
    options = List.copyOf(options);
  }

  /** A mount recorded as it is (bind, tmpfs, ...). */
  public static ContainerMount of(String source, String destination, String type) {
    return new ContainerMount(source, destination, type, List.of(), false, false);
  }

  /** A block device or image file at {@code destination}, hot-plugged as a disk. */
  public static ContainerMount block(String source, String destination, String fsType) {
    return new ContainerMount(source, destination, fsType, List.of(), false, true);
  }

  public ContainerMount withOptions(List<String> o) {
    return new ContainerMount(source, destination, type, o, readOnly, block);
  }

  public ContainerMount withReadOnly(boolean ro) {
    return new ContainerMount(source, destination, type, options, ro, block);
  }
}
