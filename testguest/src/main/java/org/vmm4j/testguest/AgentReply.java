package org.vmm4j.testguest;

import java.util.List;

/**
 * What the guest agent answered to one command: its output lines (stray {@code READY} lines
 * removed) and its exit code.
 */
public record AgentReply(String command, List<String> lines, int rc) {
  public AgentReply {
    lines = List.copyOf(lines);
  }

  public boolean ok() {
    return rc == 0;
  }

  /** The output joined with newlines. */
  public String text() {
    return String.join("\n", lines);
  }

  /** This reply when {@link #ok()}, else an {@link AgentException} quoting the output. */
  public AgentReply requireOk() {
    if (!ok()) {
      throw new AgentException(
          "guest agent: '"
              + AgentClient.shorten(command)
              + "' failed with exit code "
              + rc
              + ": "
              + AgentClient.shorten(text()));
    }
    return this;
  }
}
