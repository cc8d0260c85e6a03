package org.vmm4j.persist;

import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * OCI {@code specs.LinuxPids}.
 *
 * <p>Go type: {@code specs.LinuxPids}.
 */
public record LinuxPids(@GoField(value = "limit", type = GoType.INT64) long limit) {}
