package org.vmm4j.network;

/**
 * A queueing discipline on a link ({@code tc qdisc show}).
 *
 * @param linkIndex the interface
 * @param kind {@code ingress}, {@code noqueue}, {@code fq_codel}, ...
 * @param handle {@code major:minor} as one int ({@code ffff:0000} for ingress)
 * @param parent the parent handle ({@code ffff:fff1} for ingress, {@code ffff:ffff} = root)
 */
public record Qdisc(int linkIndex, String kind, int handle, int parent) {
  public static final int INGRESS_HANDLE = 0xffff0000;
  public static final int INGRESS_PARENT = 0xfffffff1;

  public boolean isIngress() {
    return "ingress".equals(kind) && parent == INGRESS_PARENT;
  }
}
