package org.vmm4j.qmp;

import java.time.Duration;
import org.vmm4j.testing.qmp.TestQemu;

/**
 * How qmp's tests connect: client deadlines for a shared, loaded host (about 10x the worst case
 * seen there); the first connect in a JVM also pays for loading the native socket library and
 * Jackson.
 */
final class TestClients {
  static final QmpOptions OPTIONS =
      QmpOptions.defaults()
          .withConnectTimeout(Duration.ofSeconds(30))
          .withCommandTimeout(Duration.ofSeconds(15));

  private TestClients() {}

  /** A client of {@code qemu} with {@link #OPTIONS}. */
  static QmpClient connect(TestQemu qemu) {
    return QmpClient.connectWhenListening(
        qemu.qmpSocket(), OPTIONS, Duration.ofSeconds(10), qemu.process()::isAlive);
  }
}
