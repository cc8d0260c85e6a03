package org.vmm4j.core;

import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.core.internal.reconcile.Reconciler;

/**
 * {@link Sandbox#reconcile} inside its transaction: the reconciler's state replaces the model's.
 */
final class SandboxReconcile {
  private SandboxReconcile() {}

  static Reconciliation run(Tx tx, ReconcileOptions o) {
    tx.begin("reconcile");
    Reconciler.Result r = Reconciler.run(tx.model().stored().sandbox(), tx.qmp(), o);
    if (r.state() != tx.model().stored().sandbox()) {
      tx.model().updateState(x -> r.state());
    }
    return r.report();
  }
}
