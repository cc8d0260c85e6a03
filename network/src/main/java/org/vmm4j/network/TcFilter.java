package org.vmm4j.network;

/**
 * A traffic-control filter ({@code tc filter show}).
 *
 * @param linkIndex the interface
 * @param parent the qdisc it hangs off ({@code ffff:0000} for ingress)
 * @param priority the preference (49152 when the kernel chose it)
 * @param protocol the Ethernet protocol in host order (3 = {@code ETH_P_ALL})
 * @param kind {@code u32}, ...
 * @param handle the filter handle ({@code 800::800} for the first u32 rule)
 * @param redirectTo the interface a {@code mirred egress redirect} action sends to, or 0
 */
public record TcFilter(
    int linkIndex,
    int parent,
    int priority,
    int protocol,
    String kind,
    int handle,
    int redirectTo) {}
