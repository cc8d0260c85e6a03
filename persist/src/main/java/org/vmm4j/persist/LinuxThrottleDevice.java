package org.vmm4j.persist;

import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxThrottleDevice} (its embedded major/minor flattened).
 *
 * <p>Go type: {@code specs.LinuxThrottleDevice}.
 */
public record LinuxThrottleDevice(
    @GoField(value = "major", type = GoType.INT64) long major,
    @GoField(value = "minor", type = GoType.INT64) long minor,
    @GoField(value = "rate", type = GoType.UINT64) long rate) {}
