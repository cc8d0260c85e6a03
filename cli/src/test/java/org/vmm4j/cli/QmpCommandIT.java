package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.vmm4j.testing.qmp.TestQemu;

/** {@code vmm4j qmp} against a real QEMU. */
class QmpCommandIT {

  @Test
  void queriesAndErrorsOfARealQemu() {
    assumeTrue(TestQemu.available(), TestQemu.MISSING);
    try (TestQemu qemu = TestQemu.start(TestQemu.ROOT_PORTS)) {
      String sock = qemu.qmpSocket().toString();
      CliRun status = CliRun.of("qmp", "--socket", sock, "query-status");
      assertThat(status.exitCode()).as(status.err()).isZero();
      assertThat(status.out()).contains("\"status\": \"prelaunch\"").contains("\"running\": false");

      CliRun add =
          CliRun.of(
              "qmp",
              "--socket",
              sock,
              "blockdev-add",
              "{\"driver\":\"null-co\",\"node-name\":\"n0\"}");
      assertThat(add.exitCode()).as(add.err()).isZero();
      CliRun refused =
          CliRun.of(
              "qmp",
              "--socket",
              sock,
              "device_add",
              "{\"driver\":\"virtio-blk-pci\",\"id\":\"b\",\"drive\":\"n0\",\"bus\":\"pcie.0\"}");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).startsWith("GenericError: ");

      CliRun unknown = CliRun.of("qmp", "--socket", sock, "no-such-command");
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err())
          .isEqualTo("CommandNotFound: The command no-such-command has not been found\n");

      CliRun quit = CliRun.of("qmp", "--socket", sock, "quit");
      assertThat(quit.exitCode()).as(quit.err()).isZero();
    }
  }
}
