package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.AgentState: the agent's state (Kata 1.13: the proxy's pid and the agent URL).
 *
 * <p>Go type: {@code persistapi.AgentState}.
 */
public record AgentState(
    @GoField(value = "ProxyPid", type = GoType.INT) long proxyPid, @GoField("URL") String url) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public AgentState {
    Objects.requireNonNull(url, "URL");
  }
}
