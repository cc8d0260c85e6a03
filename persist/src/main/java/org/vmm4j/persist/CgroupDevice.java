package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * runc {@code configs.Device}; {@code type} is a Go rune, written as a number (99 for 'c').
 *
 * <p>Go type: {@code configs.Device}. Built from Go zero values with {@link #builder()}.
 */
public record CgroupDevice(
    @GoField(value = "type", type = GoType.RUNE) long type,
    @GoField("path") String path,
    @GoField(value = "major", type = GoType.INT64) long major,
    @GoField(value = "minor", type = GoType.INT64) long minor,
    @GoField("permissions") String permissions,
    @GoField(value = "file_mode", type = GoType.FILE_MODE) long fileMode,
    @GoField(value = "uid", type = GoType.UINT32) long uid,
    @GoField(value = "gid", type = GoType.UINT32) long gid,
    @GoField("allow") boolean allow) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public CgroupDevice {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(permissions, "permissions");
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code Device}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.type = type;
    b.path = path;
    b.major = major;
    b.minor = minor;
    b.permissions = permissions;
    b.fileMode = fileMode;
    b.uid = uid;
    b.gid = gid;
    b.allow = allow;
    return b;
  }

  /** Builds {@link CgroupDevice} values; every field starts at its Go zero value. */
  public static final class Builder {
    private long type;
    private String path = "";
    private long major;
    private long minor;
    private String permissions = "";
    private long fileMode;
    private long uid;
    private long gid;
    private boolean allow;

    private Builder() {}

    public Builder type(long type) {
      this.type = type;
      return this;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    public Builder major(long major) {
      this.major = major;
      return this;
    }

    public Builder minor(long minor) {
      this.minor = minor;
      return this;
    }

    public Builder permissions(String permissions) {
      this.permissions = permissions;
      return this;
    }

    public Builder fileMode(long fileMode) {
      this.fileMode = fileMode;
      return this;
    }

    public Builder uid(long uid) {
      this.uid = uid;
      return this;
    }

    public Builder gid(long gid) {
      this.gid = gid;
      return this;
    }

    public Builder allow(boolean allow) {
      this.allow = allow;
      return this;
    }

    public CgroupDevice build() {
      return new CgroupDevice(type, path, major, minor, permissions, fileMode, uid, gid, allow);
    }
  }
}
