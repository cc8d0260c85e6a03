package org.vmm4j.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One entry of {@code qom-list}: a property of a QOM object. The children of {@code
 * /machine/peripheral} are the devices that exist, by id.
 *
 * @param type e.g. {@code child<virtio-blk-pci>}, {@code link<...>}, {@code str}
 * @param description null when QEMU gives none
 */
public record QomProperty(
    String name,
    String type,
    String description,
    @JsonProperty("default-value") JsonNode defaultValue) {

  /** True for a {@code child<...>} property (an object owned by this one, e.g. a device). */
  public boolean isChild() {
    return type != null && type.startsWith("child<");
  }

  /** True for a {@code link<...>} property. */
  public boolean isLink() {
    return type != null && type.startsWith("link<");
  }
}
