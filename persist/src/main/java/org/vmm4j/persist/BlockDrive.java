package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.BlockDrive: a block drive plugged into the VM.
 *
 * <p>Go type: {@code persistapi.BlockDrive}. Built from Go zero values with {@link #builder()}.
 */
public record BlockDrive(
    @GoField("File") String file,
    @GoField("Format") String format,
    @GoField("ID") String id,
    @GoField(value = "Index", type = GoType.INT) long index,
    @GoField("MmioAddr") String mmioAddr,
    @GoField("PCIPath") PciPath pciPath,
    @GoField("SCSIAddr") String scsiAddr,
    @GoField("NvdimmID") String nvdimmId,
    @GoField("VirtPath") String virtPath,
    @GoField("DevNo") String devNo,
    @GoField("Pmem") boolean pmem) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public BlockDrive {
    Objects.requireNonNull(file, "File");
    Objects.requireNonNull(format, "Format");
    Objects.requireNonNull(id, "ID");
    Objects.requireNonNull(mmioAddr, "MmioAddr");
    Objects.requireNonNull(pciPath, "PCIPath");
    Objects.requireNonNull(scsiAddr, "SCSIAddr");
    Objects.requireNonNull(nvdimmId, "NvdimmID");
    Objects.requireNonNull(virtPath, "VirtPath");
    Objects.requireNonNull(devNo, "DevNo");
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code BlockDrive}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.file = file;
    b.format = format;
    b.id = id;
    b.index = index;
    b.mmioAddr = mmioAddr;
    b.pciPath = pciPath;
    b.scsiAddr = scsiAddr;
    b.nvdimmId = nvdimmId;
    b.virtPath = virtPath;
    b.devNo = devNo;
    b.pmem = pmem;
    return b;
  }

  /** Builds {@link BlockDrive} values; every field starts at its Go zero value. */
  public static final class Builder {
    private String file = "";
    private String format = "";
    private String id = "";
    private long index;
    private String mmioAddr = "";
    private PciPath pciPath = PciPath.NIL;
    private String scsiAddr = "";
    private String nvdimmId = "";
    private String virtPath = "";
    private String devNo = "";
    private boolean pmem;

    private Builder() {}

    public Builder file(String file) {
      this.file = file;
      return this;
    }

    public Builder format(String format) {
      this.format = format;
      return this;
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder index(long index) {
      this.index = index;
      return this;
    }

    public Builder mmioAddr(String mmioAddr) {
      this.mmioAddr = mmioAddr;
      return this;
    }

    public Builder pciPath(PciPath pciPath) {
      this.pciPath = pciPath;
      return this;
    }

    public Builder scsiAddr(String scsiAddr) {
      this.scsiAddr = scsiAddr;
      return this;
    }

    public Builder nvdimmId(String nvdimmId) {
      this.nvdimmId = nvdimmId;
      return this;
    }

    public Builder virtPath(String virtPath) {
      this.virtPath = virtPath;
      return this;
    }

    public Builder devNo(String devNo) {
      this.devNo = devNo;
      return this;
    }

    public Builder pmem(boolean pmem) {
      this.pmem = pmem;
      return this;
    }

    public BlockDrive build() {
      return new BlockDrive(
          file, format, id, index, mmioAddr, pciPath, scsiAddr, nvdimmId, virtPath, devNo, pmem);
    }
  }
}
