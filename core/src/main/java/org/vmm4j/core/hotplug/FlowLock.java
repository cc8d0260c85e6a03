package org.vmm4j.core.hotplug;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes the operations of one vCPU or memory flow, waiting at most the context's lock
 * deadline. A QMP failure outside a transaction (a query) becomes a {@link HotplugException} naming
 * the operation: nothing was changed by that step.
 */
final class FlowLock {
  private final HotplugContext ctx;
  private final String what;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param what the kind of operation, for the timeout message ({@code vCPU}, {@code memory})
   */
  FlowLock(HotplugContext ctx, String what) {
    this.ctx = ctx;
    this.what = what;
  }

  <T> T run(String op, Supplier<T> action) {
    try {
      if (!lock.tryLock(ctx.timeouts().lock().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new HotplugRefusedException(
            "sandbox "
                + ctx.sandboxId()
                + ": "
                + op
                + ": another "
                + what
                + " operation did not finish within "
                + QmpDevices.format(ctx.timeouts().lock()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HotplugException("sandbox " + ctx.sandboxId() + ": " + op + ": interrupted", e);
    }
    try {
      return action.get();
    } catch (HotplugException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) { // a query failed: nothing was changed by this step
      throw new HotplugException(
          "sandbox " + ctx.sandboxId() + ": " + op + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
