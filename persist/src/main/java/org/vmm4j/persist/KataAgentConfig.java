package org.vmm4j.persist;

import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.KataAgentConfig: what is needed to reach the Kata agent.
 *
 * <p>Go type: {@code persistapi.KataAgentConfig}.
 */
public record KataAgentConfig(
    @GoField("LongLiveConn") boolean longLiveConn, @GoField("UseVSock") boolean useVsock) {}
