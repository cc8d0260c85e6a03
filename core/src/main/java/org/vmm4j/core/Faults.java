package org.vmm4j.core;

import java.util.function.Supplier;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.InvalidRequestException;
import org.vmm4j.core.api.QemuException;
import org.vmm4j.core.api.SandboxNotFoundException;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.devices.DevicesException;
import org.vmm4j.devices.NoFreeSlotException;
import org.vmm4j.devices.PlugsRefusedException;
import org.vmm4j.devices.VfioDiscoveryException;
import org.vmm4j.network.NetlinkException;
import org.vmm4j.persist.InvalidNameException;
import org.vmm4j.persist.LockTimeoutException;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.StateNotFoundException;
import org.vmm4j.persist.StoreException;
import org.vmm4j.qmp.QmpException;

/**
 * The boundary of core's API: an error of a module below (QMP, the store, netlink, devices) leaves
 * it as the {@link Vmm4jException} that says whose fault it is, with the original as its cause and
 * its message unchanged.
 */
final class Faults {
  private Faults() {}

  /** Runs {@code work}, wrapping what the modules below throw. */
  static <T> T run(String sandboxId, Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw wrap(sandboxId, e);
    }
  }

  /** Runs {@code work}, wrapping what the modules below throw. */
  static void run(String sandboxId, Runnable work) {
    run(
        sandboxId,
        () -> {
          work.run();
          return null;
        });
  }

  /** {@code e} as the API's exception; programming errors (and API exceptions) pass unchanged. */
  static RuntimeException wrap(String sandboxId, RuntimeException e) {
    String m = e.getMessage();
    if (e instanceof Vmm4jException) {
      return e;
    } else if (e instanceof InvalidNameException) {
      return new InvalidRequestException(m, e);
    } else if (e instanceof StateNotFoundException) {
      return new SandboxNotFoundException(sandboxId, m, e);
    } else if (e instanceof StoreException) {
      return new HostException(m, e);
    } else if (e instanceof LockTimeoutException || e instanceof PersistException) {
      return new StateException(m, e);
    } else if (e instanceof QmpException) {
      return new QemuException(m, e);
    } else if (e instanceof NetlinkException || e instanceof VfioDiscoveryException) {
      return new HostException(m, e);
    } else if (e instanceof NoFreeSlotException || e instanceof PlugsRefusedException) {
      return new HotplugRefusedException(m, e);
    } else if (e instanceof DevicesException) {
      return new StateException(m, e);
    }
    return e;
  }
}
