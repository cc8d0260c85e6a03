package org.vmm4j.core.hotplug;

/**
 * A hot-plugged memory DIMM ({@code pc-dimm}); {@code HotpluggedMemory} records only the total, the
 * DIMMs themselves are found again through {@code query-memory-devices}.
 *
 * @param id the device id ({@code dimmmem<N>})
 * @param memdev the backend object's id ({@code mem<N>})
 * @param sizeMiB its size
 */
public record PluggedDimm(String id, String memdev, long sizeMiB) {}
