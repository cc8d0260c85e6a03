package org.vmm4j.core.internal.reconcile;

import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation.Leftover;
import org.vmm4j.core.api.Reconciliation.LeftoverKind;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.BlockdevDel;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.qmp.QmpErrorClass;
import org.vmm4j.qmp.QmpEventTimeoutException;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryNamedBlockNodes;

/**
 * Removes a leftover from QEMU: a device with {@code device_del} and its {@code DEVICE_DELETED}
 * (past the deadline {@code qom-list /machine/peripheral} decides), then {@code blockdev-del} of
 * its nodes; a bare block node with {@code blockdev-del}. What QEMU keeps stays a leftover (and is
 * fenced).
 */
final class Removal {
  private Removal() {}

  static Leftover remove(QmpClient qmp, ReconcileOptions o, Leftover l) {
    if (l.kind() == LeftoverKind.DEVICE && !deviceGone(qmp, o, l.id())) {
      return l;
    }
    for (String node : l.nodes()) {
      if (!nodeGone(qmp, o, node)) {
        return l.kind() == LeftoverKind.DEVICE ? l.asRemoved() : l;
      }
    }
    return l.asRemoved();
  }

  private static boolean deviceGone(QmpClient qmp, ReconcileOptions o, String id) {
    try {
      qmp.deviceDel(id, o.deviceDeleted());
      return true;
    } catch (QmpEventTimeoutException e) {
      return !present(qmp, o, id);
    } catch (QmpCommandException e) {
      return e.errorClass() == QmpErrorClass.DEVICE_NOT_FOUND || !present(qmp, o, id);
    }
  }

  private static boolean present(QmpClient qmp, ReconcileOptions o, String id) {
    for (QomProperty p : qmp.call(new QomList(QomList.PERIPHERAL), o.commandTimeout())) {
      if (p.isChild() && p.name().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static boolean nodeGone(QmpClient qmp, ReconcileOptions o, String node) {
    try {
      qmp.call(new BlockdevDel(node), o.commandTimeout());
      return true;
    } catch (QmpCommandException e) {
      for (BlockNodeInfo n : qmp.call(new QueryNamedBlockNodes(), o.commandTimeout())) {
        if (node.equals(n.nodeName())) {
          return false;
        }
      }
      return true;
    }
  }
}
