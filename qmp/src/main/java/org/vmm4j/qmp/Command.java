package org.vmm4j.qmp;

import java.io.FileDescriptor;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A QMP command and the type of its result. Run one with {@link QmpClient#call(Command)}; anything
 * without a typed record here goes through {@link Execute}.
 *
 * @param <R> the typed {@code return} value ({@link Void} for commands that return {@code {}})
 */
public sealed interface Command<R>
    permits AddFd,
        BlockdevAdd,
        BlockdevDel,
        ChardevAdd,
        ChardevRemove,
        CloseFd,
        Cont,
        DeviceAdd,
        DeviceDel,
        Execute,
        GetFd,
        HumanMonitorCommand,
        NetdevAdd,
        NetdevDel,
        ObjectAdd,
        ObjectDel,
        QmpCapabilities,
        QomGet,
        QomList,
        QueryCpusFast,
        QueryFdsets,
        QueryHotpluggableCpus,
        QueryMemoryDevices,
        QueryNamedBlockNodes,
        QueryPci,
        QueryStatus,
        QueryVersion,
        Quit,
        RemoveFd,
        Stop,
        SystemPowerdown {

  /** The name QEMU knows the command by, e.g. {@code device_add}. */
  String commandName();

  /** The {@code arguments} object (a fresh copy on each call), or null when there are none. */
  default ObjectNode arguments() {
    return null;
  }

  /**
   * Converts QEMU's {@code return} value.
   *
   * @throws RuntimeException when it does not have the expected shape (the client reports a {@link
   *     QmpProtocolException})
   */
  R result(JsonNode returned);

  /**
   * File descriptors sent with the command (SCM_RIGHTS, in the same {@code sendmsg} as its text).
   * The caller keeps ownership; QEMU gets its own duplicates.
   */
  default List<FileDescriptor> fds() {
    return List.of();
  }
}
