package org.vmm4j.qmp;

import java.io.FileDescriptor;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code add-fd}: puts {@code fd} in an fd set (then opened by QEMU as {@code /dev/fdset/N}). The
 * descriptor travels in the same {@code sendmsg} as the command; the caller keeps its own copy.
 * QEMU closes unused fd sets when no monitor is connected and the VM runs.
 *
 * @param fdsetId the set to add to, or null for a new one
 * @param opaque a free-form note kept with the descriptor, or null
 */
public record AddFd(FileDescriptor fd, Integer fdsetId, String opaque)
    implements Command<AddFdInfo> {
  public AddFd {
    Objects.requireNonNull(fd, "fd");
    if (!fd.valid()) {
      throw new IllegalArgumentException("add-fd: the file descriptor is closed");
    }
  }

  /** Adds {@code fd} to a new fd set. */
  public AddFd(FileDescriptor fd) {
    this(fd, null, null);
  }

  @Override
  public String commandName() {
    return "add-fd";
  }

  @Override
  public ObjectNode arguments() {
    ObjectNode args = Json.object();
    if (fdsetId != null) {
      args.put("fdset-id", fdsetId);
    }
    if (opaque != null) {
      args.put("opaque", opaque);
    }
    return args.isEmpty() ? null : args;
  }

  @Override
  public List<FileDescriptor> fds() {
    return List.of(fd);
  }

  @Override
  public AddFdInfo result(JsonNode returned) {
    return Json.convert(returned, AddFdInfo.class);
  }
}
