package org.vmm4j.persist;

import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxRdma}.
 *
 * <p>Go type: {@code specs.LinuxRdma}.
 */
public record LinuxRdma(
    @GoField(value = "hcaHandles", type = GoType.UINT32, omitEmpty = true) Long hcaHandles,
    @GoField(value = "hcaObjects", type = GoType.UINT32, omitEmpty = true) Long hcaObjects) {}
