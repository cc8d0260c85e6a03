package org.vmm4j.core.api;

import java.util.Objects;
import java.util.Optional;
import org.vmm4j.network.InterworkingModel;

/**
 * What {@link SandboxNetwork#attach} attaches ({@code vmm4j hotplug ID net [--netns NAME]
 * [--interface IF] [--model tcfilter|macvtap]}).
 *
 * @param netns the namespace: a name under {@code /run/netns} or a path; empty for the sandbox's
 *     (another one than the sandbox's is refused; a sandbox without one takes this one)
 * @param iface one interface of the namespace; empty for every one not attached yet
 * @param model how veth-like interfaces are joined; empty for the sandbox's {@code
 *     NetworkConfig.InterworkingModel} (tcfilter unless macvtap)
 */
public record NetAttachRequest(
    Optional<String> netns, Optional<String> iface, Optional<InterworkingModel> model) {
  public NetAttachRequest {
    Objects.requireNonNull(netns, "netns");
    Objects.requireNonNull(iface, "iface");
    Objects.requireNonNull(model, "model");
  }

  /** Every new interface of the sandbox's namespace, with the sandbox's model. */
  public static NetAttachRequest all() {
    return new NetAttachRequest(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public NetAttachRequest withNetns(String name) {
    return new NetAttachRequest(Optional.of(name), iface, model);
  }

  public NetAttachRequest withInterface(String name) {
    return new NetAttachRequest(netns, Optional.of(name), model);
  }

  public NetAttachRequest withModel(InterworkingModel m) {
    return new NetAttachRequest(netns, iface, Optional.of(m));
  }
}
