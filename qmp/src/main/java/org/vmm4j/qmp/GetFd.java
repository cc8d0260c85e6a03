package org.vmm4j.qmp;

import java.io.FileDescriptor;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code getfd}: hands {@code fd} to QEMU under {@code fdname} (then used e.g. as a tap netdev's
 * {@code fd}). The descriptor travels in the same {@code sendmsg} as the command; the caller keeps
 * its own copy and closes it. The name must not start with a digit.
 */
public record GetFd(String fdname, FileDescriptor fd) implements Command<Void> {
  public GetFd {
    Objects.requireNonNull(fdname, "fdname");
    Objects.requireNonNull(fd, "fd");
    if (!fd.valid()) {
      throw new IllegalArgumentException("getfd " + fdname + ": the file descriptor is closed");
    }
  }

  @Override
  public String commandName() {
    return "getfd";
  }

  @Override
  public ObjectNode arguments() {
    return Json.object().put("fdname", fdname);
  }

  @Override
  public List<FileDescriptor> fds() {
    return List.of(fd);
  }

  @Override
  public Void result(JsonNode returned) {
    return null;
  }
}
