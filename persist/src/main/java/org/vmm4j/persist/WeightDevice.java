package org.vmm4j.persist;

import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * runc {@code configs.WeightDevice} (its embedded major/minor flattened).
 *
 * <p>Go type: {@code configs.WeightDevice}.
 */
public record WeightDevice(
    @GoField(value = "major", type = GoType.INT64) long major,
    @GoField(value = "minor", type = GoType.INT64) long minor,
    @GoField(value = "weight", type = GoType.UINT16) long weight,
    @GoField(value = "leafWeight", type = GoType.UINT16) long leafWeight) {}
