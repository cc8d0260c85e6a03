package org.vmm4j.network;

import java.util.List;
import java.util.Objects;

/**
 * What a persisted endpoint lacks to put its CNI interface back exactly, in the macvtap model: the
 * interface's routes (the kernel drops them with the addresses set-up moves away, and Kata's schema
 * has no field for them) and whether it was up. Set-up takes it ({@link
 * ConnectedEndpoint#linkRestore()}); a controller keeps it next to the persisted state and gives it
 * to {@link Endpoints#disconnect(NetNs, Endpoint, LinkRestore)}. The tcfilter model and the other
 * kinds need none ({@link #NONE}).
 *
 * @param routes the interface's routes before set-up, in every table but {@code local}, without
 *     those the kernel made ({@code proto kernel}); their link index is the interface's then
 * @param up whether the interface was up
 * @param known whether this was taken at set-up (false: {@link #NONE}, nothing to restore)
 */
public record LinkRestore(List<Route> routes, boolean up, boolean known) {
  /** Nothing to restore beyond the persisted endpoint. */
  public static final LinkRestore NONE = new LinkRestore(List.of(), true, false);

  public LinkRestore {
    routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
  }

  /** Taken from an interface's snapshot. */
  static LinkRestore of(LinkSnapshot before) {
    return new LinkRestore(before.routes(), before.link().isUp(), true);
  }
}
