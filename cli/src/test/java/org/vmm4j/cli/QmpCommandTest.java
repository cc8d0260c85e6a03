package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.qmp.FakeQmpServer;

class QmpCommandTest {
  private FakeQmpServer fake;
  private String sock;

  @BeforeEach
  void start() {
    fake = FakeQmpServer.start().failOnUnexpectedCommands();
    sock = fake.socketPath().toString();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void printsTheReturnValueAsJson() {
    fake.on("query-status")
        .reply("{\"status\":\"prelaunch\",\"singlestep\":false,\"running\":false}");
    CliRun r = CliRun.of("qmp", "--socket", sock, "query-status");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "{\n  \"status\": \"prelaunch\",\n  \"singlestep\": false,\n  \"running\": false\n}\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void sendsTheArgumentsAndPrintsAnEmptyReturn() {
    fake.on("device_add");
    CliRun r =
        CliRun.of(
            "qmp",
            "--socket",
            sock,
            "device_add",
            "{\"driver\":\"virtio-blk-pci\",\"id\":\"blk0\",\"bus\":\"rp0\"}");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("{}\n");
    assertThat(fake.received("device_add").get(0).line())
        .isEqualTo(
            "{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"virtio-blk-pci\","
                + "\"id\":\"blk0\",\"bus\":\"rp0\"},\"id\":2}");
  }

  @Test
  void qemusErrorIsClassColonDescAndExit1() {
    fake.on("device_del").error("DeviceNotFound", "Device 'nope' not found");
    CliRun r = CliRun.of("qmp", "--socket", sock, "device_del", "{\"id\":\"nope\"}");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("DeviceNotFound: Device 'nope' not found\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void invalidJsonArgumentsAreExit2WithoutConnecting() {
    CliRun r = CliRun.of("qmp", "--socket", sock, "device_add", "{driver:");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("vmm4j qmp device_add: invalid JSON arguments '{driver:'");
    assertThat(r.err().lines()).hasSize(1);
    CliRun notObject = CliRun.of("qmp", "--socket", sock, "device_add", "[1]");
    assertThat(notObject.exitCode()).isEqualTo(2);
    assertThat(notObject.err()).contains("must be an object, not '[1]'");
    assertThat(fake.connections()).isZero();
  }

  @Test
  void aMissingSocketIsExit2NamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("gone.sock");
    CliRun r = CliRun.of("qmp", "--socket", missing.toString(), "query-status");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("vmm4j qmp: query-status: connect QMP " + missing + ": ");
  }

  @Test
  void noReplyInTimeIsExit2() {
    fake.on("query-status").noReply();
    CliRun r = CliRun.of("qmp", "--socket", sock, "--timeout", "0.3", "query-status");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("vmm4j qmp: query-status: no reply within 300 ms\n");
  }

  @Test
  void aProtocolFailureIsExit2() {
    fake.on("query-status").raw("this is not JSON");
    CliRun r = CliRun.of("qmp", "--socket", sock, "query-status");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("not a QMP message").contains("this is not JSON");
  }

  @Test
  void aReplyOverTheSizeLimitIsExit2() {
    fake.on("query-qmp-schema").hugeReply(17 * 1024 * 1024);
    CliRun r = CliRun.of("qmp", "--socket", sock, "query-qmp-schema");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("longer than 16777216 bytes");
  }

  @Test
  void quitIsSuccessAlsoWhenQemuHangsUpFirst() {
    fake.on("quit").disconnect();
    CliRun r = CliRun.of("qmp", "--socket", sock, "quit");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("{}\n");
  }

  @Test
  void badUsageIsExit2() {
    assertThat(CliRun.of("qmp", "query-status").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("qmp", "query-status").err()).contains("--socket PATH");
    assertThat(CliRun.of("qmp", "--socket", sock).exitCode()).isEqualTo(2);
    assertThat(CliRun.of("qmp", "--socket", sock, "--timeout", "0", "x").err())
        .contains("--timeout must be between 0 and 86400 seconds: 0");
    assertThat(CliRun.of("qmp", "--socket", sock, "bad name").err())
        .contains("not a QMP command name: 'bad name'");
    assertThat(fake.connections()).isZero();
  }
}
