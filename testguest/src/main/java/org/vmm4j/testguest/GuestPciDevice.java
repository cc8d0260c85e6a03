package org.vmm4j.testguest;

import java.util.Optional;

/**
 * A PCI function as the guest sees it ({@code pci}).
 *
 * @param bdf e.g. {@code 0000:01:03.0}
 * @param vendor e.g. {@code 0x1af4}
 * @param device e.g. {@code 0x1001}
 * @param classCode e.g. {@code 0x010000}
 * @param driver the bound driver, e.g. {@code virtio-pci}
 * @param pciPath the slots from the host bridge down, e.g. {@code 05/03}
 * @param sysfsPath the resolved {@code /sys/devices/...} path
 */
public record GuestPciDevice(
    String bdf,
    String vendor,
    String device,
    String classCode,
    Optional<String> driver,
    String pciPath,
    String sysfsPath) {}
