package org.vmm4j.core.net;

import java.time.Duration;
import java.util.Optional;
import org.vmm4j.core.GuestMemory;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QomGet;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;

/**
 * Guest RAM's backend as the running QEMU has it ({@code /objects/dimm1}, the command line's
 * backend id): what a controller that reattached (and has only the persisted config) knows of it
 * for vhost-user's shared-memory rule (DESIGN decision 10).
 */
public final class GuestMemories {
  /** The id the command line gives guest RAM's backend. */
  static final String BACKEND = "dimm1";

  private GuestMemories() {}

  /** The backend, or empty when QEMU has none (microvm with plain RAM). */
  public static Optional<GuestMemory> query(QmpClient qmp, Duration timeout) {
    for (QomProperty p : qmp.call(new QomList("/objects"), timeout)) {
      if (p.isChild() && p.name().equals(BACKEND)) {
        String backend = p.type().substring("child<".length(), p.type().length() - 1);
        String path = "/objects/" + BACKEND;
        boolean shared = qmp.call(new QomGet(path, "share"), timeout).asBoolean(false);
        String memPath =
            backend.equals(GuestMemory.FILE)
                ? qmp.call(new QomGet(path, "mem-path"), timeout).asString("")
                : "";
        return Optional.of(new GuestMemory(backend, memPath, shared, false));
      }
    }
    return Optional.empty();
  }
}
