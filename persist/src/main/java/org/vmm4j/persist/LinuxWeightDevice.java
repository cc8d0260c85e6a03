package org.vmm4j.persist;

import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxWeightDevice} (its embedded major/minor flattened).
 *
 * <p>Go type: {@code specs.LinuxWeightDevice}.
 */
public record LinuxWeightDevice(
    @GoField(value = "major", type = GoType.INT64) long major,
    @GoField(value = "minor", type = GoType.INT64) long minor,
    @GoField(value = "weight", type = GoType.UINT16, omitEmpty = true) Long weight,
    @GoField(value = "leafWeight", type = GoType.UINT16, omitEmpty = true) Long leafWeight) {}
