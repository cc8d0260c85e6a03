package org.vmm4j.devices;

/**
 * Where a SCSI disk sits on the sandbox's virtio-scsi controller: {@code scsi-id} and {@code lun},
 * derived from the block index as Kata's {@code GetSCSIIdLun} ({@code index/256}, {@code
 * index%256}). The guest's {@code H:C:T:L} has {@code T = id} and {@code L = lun}.
 *
 * @param id the SCSI target, 0..255
 * @param lun the LUN, 0..255
 */
public record ScsiAddress(int id, int lun) {
  /** The highest index a SCSI address exists for (Kata: {@code 0 <= index <= 65535}). */
  public static final int MAX_INDEX = 65535;

  public ScsiAddress {
    if (id < 0 || id > 255 || lun < 0 || lun > 255) {
      throw new IllegalArgumentException("SCSI address " + id + ":" + lun + " not in 0..255");
    }
  }

  /**
   * The address of block index {@code index}.
   *
   * @throws IllegalArgumentException outside {@code 0..65535}
   */
  public static ScsiAddress of(int index) {
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException(
          "SCSI address: block index " + index + " not in 0.." + MAX_INDEX);
    }
    return new ScsiAddress(index / 256, index % 256);
  }

  /**
   * Parses {@code BlockDrive.SCSIAddr}, {@code "id:lun"}.
   *
   * @throws IllegalArgumentException when it is not two numbers in 0..255
   */
  public static ScsiAddress parse(String text) {
    int colon = text.indexOf(':');
    try {
      if (colon > 0) {
        return new ScsiAddress(
            Integer.parseInt(text.substring(0, colon)),
            Integer.parseInt(text.substring(colon + 1)));
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("SCSI address \"" + text + "\" is not id:lun");
  }

  /** {@code "id:lun"}, as Kata records {@code BlockDrive.SCSIAddr}. */
  @Override
  public String toString() {
    return id + ":" + lun;
  }
}
