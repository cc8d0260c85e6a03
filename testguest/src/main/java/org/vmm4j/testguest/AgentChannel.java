package org.vmm4j.testguest;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where the guest agent listens; {@link #kernelParameter} gives the kernel command line word that
 * selects one or more channels ({@code agent=hvc0,vport:ctl}). Without the parameter the agent uses
 * {@code hvc0}.
 */
public sealed interface AgentChannel {

  /** The word for this channel in {@code agent=}. */
  String name();

  /**
   * The first virtio console ({@code -device virtconsole}): Kata's console, on vmm4j's {@code
   * console.sock}. A tty: the agent cannot tell when a host connects, so the host syncs with {@code
   * hello}.
   */
  record Hvc0() implements AgentChannel {
    @Override
    public String name() {
      return "hvc0";
    }
  }

  /** A {@code virtserialport} with {@code name=portName}. */
  record VirtioPort(String portName) implements AgentChannel {
    public VirtioPort {
      if (!portName.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("virtio-serial port name '" + portName + "'");
      }
    }

    @Override
    public String name() {
      return "vport:" + portName;
    }
  }

  /** A serial port tty such as {@code ttyS1} (the second {@code -serial}). */
  record Serial(String tty) implements AgentChannel {
    public Serial {
      if (!tty.matches("ttyS[0-9]+")) {
        throw new IllegalArgumentException("serial tty '" + tty + "'");
      }
    }

    @Override
    public String name() {
      return tty;
    }
  }

  static AgentChannel hvc0() {
    return new Hvc0();
  }

  static AgentChannel virtioPort(String name) {
    return new VirtioPort(name);
  }

  static AgentChannel serial(String tty) {
    return new Serial(tty);
  }

  /** {@code agent=a,b,...}: the agent serves every channel given. */
  static String kernelParameter(AgentChannel... channels) {
    if (channels.length == 0) {
      throw new IllegalArgumentException("no agent channel");
    }
    return "agent="
        + Arrays.stream(channels).map(AgentChannel::name).collect(Collectors.joining(","));
  }
}
