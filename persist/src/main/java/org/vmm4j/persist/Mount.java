package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.Mount: a container mount.
 *
 * <p>Go type: {@code persistapi.Mount}. Built from Go zero values with {@link #builder()}.
 */
public record Mount(
    @GoField("Source") String source,
    @GoField("Destination") String destination,
    @GoField("Type") String type,
    @GoField("Options") List<String> options,
    @GoField("HostPath") String hostPath,
    @GoField("ReadOnly") boolean readOnly,
    @GoField("BlockDeviceID") String blockDeviceId) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public Mount {
    Objects.requireNonNull(source, "Source");
    Objects.requireNonNull(destination, "Destination");
    Objects.requireNonNull(type, "Type");
    Objects.requireNonNull(hostPath, "HostPath");
    Objects.requireNonNull(blockDeviceId, "BlockDeviceID");
    options = Copies.list(options);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code Mount}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.source = source;
    b.destination = destination;
    b.type = type;
    b.options = options;
    b.hostPath = hostPath;
    b.readOnly = readOnly;
    b.blockDeviceId = blockDeviceId;
    return b;
  }

  /** Builds {@link Mount} values; every field starts at its Go zero value. */
  public static final class Builder {
    private String source = "";
    private String destination = "";
    private String type = "";
    private List<String> options;
    private String hostPath = "";
    private boolean readOnly;
    private String blockDeviceId = "";

    private Builder() {}

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder destination(String destination) {
      this.destination = destination;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder options(List<String> options) {
      this.options = options;
      return this;
    }

    public Builder hostPath(String hostPath) {
      this.hostPath = hostPath;
      return this;
    }

    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    public Builder blockDeviceId(String blockDeviceId) {
      this.blockDeviceId = blockDeviceId;
      return this;
    }

    public Mount build() {
      return new Mount(source, destination, type, options, hostPath, readOnly, blockDeviceId);
    }
  }
}
