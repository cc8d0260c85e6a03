package org.vmm4j.testguest;

import java.util.Optional;

/**
 * A network interface as the guest sees it ({@code net}).
 *
 * @param name e.g. {@code eth0}
 * @param mac lower case, e.g. {@code 52:54:00:aa:bb:01}
 * @param operState e.g. {@code up}, {@code down}
 * @param pciPath of the NIC; empty for virtual interfaces such as {@code lo}
 * @param sysfsPath the resolved {@code /sys/devices/...} path
 */
public record GuestNetInterface(
    String name, String mac, String operState, Optional<String> pciPath, String sysfsPath) {}
