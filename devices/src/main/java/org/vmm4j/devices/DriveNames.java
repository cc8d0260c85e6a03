package org.vmm4j.devices;

/**
 * Guest drive names from block indexes, as Kata's {@code GetVirtDriveName}: {@code vd} and the
 * index in bijective base 26 ({@code 0 vda}, {@code 25 vdz}, {@code 26 vdaa}, {@code 27 vdab},
 * {@code 704 vdaac}, {@code 18277 vdzzz}). The name is what the guest kernel would call a virtio
 * disk plugged in index order; the PCI path is what identifies the disk for sure.
 */
public final class DriveNames {
  private DriveNames() {}

  /**
   * {@code vd<letters>} for {@code index}.
   *
   * @throws IllegalArgumentException for a negative index
   */
  public static String virtio(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("drive name: index " + index + " is negative");
    }
    StringBuilder letters = new StringBuilder();
    for (long i = index; i >= 0; i = i / 26 - 1) {
      letters.append((char) ('a' + i % 26));
    }
    return "vd" + letters.reverse();
  }

  /** {@code /dev/vd<letters>}: Kata's {@code BlockDrive.VirtPath} of a virtio-blk disk. */
  public static String virtioPath(int index) {
    return "/dev/" + virtio(index);
  }
}
