package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.persist.AgentState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.modules.ChildClassPath;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * {@code vmm4j qmp} against a hostile or broken QMP peer, each run a JVM of its own with the
 * command's own logging set-up: whatever the peer does, the command ends with its exit code and one
 * line on stderr (no log line, no stack trace), and the peer's text reaches the terminal with its
 * control characters escaped, on stderr and in the printed reply. With {@code --socket PATH}, and
 * with a sandbox id whose recorded QEMU is the peer (this JVM: its pid, its UUID).
 */
class HostileQmpPeerCliTest {
  /** What no line printed from a peer may hold raw: controls but line breaks, format chars. */
  static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Cf}\\u2028\\u2029&&[^\\n]]");

  static final String ID = "peer";

  @TempDir Path root;
  FakeQmpServer fake;
  String sock;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() {
    fake = FakeQmpServer.start();
    sock = fake.socketPath().toString();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void garbageForAGreetingIsExit2InOneEscapedLine() throws Exception {
    fake.greeting("hello \u001b[2J\u0000 I am not QEMU");
    Result r = qmp("query-status");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("vmm4j qmp: query-status: connect QMP " + sock + ": not a QMP message (")
        .endsWith("): hello \\x1b[2J\\x00 I am not QEMU\n");
    assertOneSafeLine(r);
  }

  @Test
  void aHugeGreetingIsExit2InOneLine() throws Exception {
    fake.greeting("{\"QMP\": \"" + "x".repeat(17 << 20) + "\"}");
    Result r = qmp("query-status");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "vmm4j qmp: query-status: connect QMP "
                + sock
                + ": QEMU sent a message longer than 16777216 bytes (the limit)\n");
  }

  @Test
  void noGreetingIsExit2InOneLine() throws Exception {
    fake.noGreeting();
    Result r = qmp("query-status", "--timeout", "1");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "vmm4j qmp: query-status: connect QMP "
                + sock
                + ": no greeting within 1 s; another client probably holds the socket (QEMU"
                + " serves one client per socket)\n");
  }

  @Test
  void aGreetingThenAHangupIsExit2InOneLine() throws Exception {
    fake.on("qmp_capabilities").disconnect();
    Result r = qmp("query-status");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("vmm4j qmp: query-status: connect QMP " + sock + ": ");
    assertOneSafeLine(r);
  }

  @Test
  void aRefusedNegotiationIsExit2NotQemusErrorToTheCommand() throws Exception {
    fake.on("qmp_capabilities").error("GenericError", "no \u001b[2J thanks\r\u0007");
    Result r = qmp("query-status");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "vmm4j qmp: query-status: connect QMP "
                + sock
                + ": QEMU refused qmp_capabilities: no \\x1b[2J thanks\\x0d\\x07 (GenericError)\n");
  }

  @Test
  void aReplyWithBothReturnAndErrorIsAProtocolError() throws Exception {
    fake.on("query-status").raw(BOTH);
    Result r = qmp("query-status");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "vmm4j qmp: query-status: QMP "
                + sock
                + ": closed on a protocol error: not a QMP message (a reply with both \"return\""
                + " and \"error\"): "
                + BOTH
                + "\n");
  }

  @Test
  void controlCharactersInAReplyArePrintedEscaped() throws Exception {
    fake.on("query-status").reply(STATUS);
    Result r = qmp("query-status");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(STATUS_PRINTED);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void controlCharactersInQemusErrorArePrintedEscapedOnOneLine() throws Exception {
    fake.on("query-status").error(ERROR_CLASS, ERROR_DESC);
    Result r = qmp("query-status");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(ERROR_PRINTED);
  }

  @Test
  void verboseSaysMoreStillEscaped() throws Exception {
    fake.on("qmp_capabilities").error("GenericError", "no \u001b[2J thanks\r\u0007");
    Result r = vmm4j(List.of("--verbose", "qmp", "--socket", sock, "query-status"));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("vmm4j: DEBUG Session: QMP " + sock + ": closed by the client\n")
        .contains(
            "\nvmm4j qmp: query-status: connect QMP "
                + sock
                + ": QEMU refused qmp_capabilities: no \\x1b[2J thanks\\x0d\\x07 (GenericError)")
        // the cause says what the line says already: not repeated
        .doesNotContain("caused by: qmp_capabilities");
    assertThat(UNSAFE.matcher(r.err()).find())
        .as("a raw control character in %s", r.err())
        .isFalse();
  }

  @Test
  void throughASandboxIdTheSameHolds() throws Exception {
    fake.close();
    FsStore store = new FsStore(root);
    String uuid = saveRunningSandboxServedByThisJvm(store);
    fake = FakeQmpServer.start(store.vmDir(ID).resolve("qmp.sock"));
    fake.on("query-uuid").reply("{\"UUID\":\"" + uuid + "\"}");
    fake.on("query-status").raw(BOTH);
    fake.on("query-name").error(ERROR_CLASS, ERROR_DESC);
    fake.on("query-kvm").reply(STATUS);

    Result both = sandboxQmp("query-status");
    assertThat(both.code()).as(both.err()).isEqualTo(2);
    assertThat(both.err())
        .startsWith("vmm4j qmp: query-status: QMP ")
        .contains("not a QMP message (a reply with both \"return\" and \"error\")");
    assertOneSafeLine(both);

    Result error = sandboxQmp("query-name");
    assertThat(error.code()).as(error.err()).isEqualTo(1);
    assertThat(error.err()).isEqualTo(ERROR_PRINTED);

    Result reply = sandboxQmp("query-kvm");
    assertThat(reply.code()).as(reply.err()).isZero();
    assertThat(reply.out()).isEqualTo(STATUS_PRINTED);

    fake.close();
    fake = FakeQmpServer.start(store.vmDir(ID).resolve("qmp.sock"));
    fake.on("qmp_capabilities").error("GenericError", "no \u001b[2J thanks\r\u0007");
    Result refused = sandboxQmp("query-status");
    assertThat(refused.code()).as(refused.err()).isEqualTo(2);
    assertThat(refused.err())
        .startsWith("vmm4j qmp: query-status: connect QMP " + fake.socketPath())
        .endsWith("QEMU refused qmp_capabilities: no \\x1b[2J thanks\\x0d\\x07 (GenericError)\n");
    assertOneSafeLine(refused);
  }

  static final String BOTH =
      "{\"return\": {\"status\": \"running\"}, \"error\": {\"class\": \"GenericError\","
          + " \"desc\": \"no\"}, \"id\": 2}";

  /** ESC, CR, NUL, DEL, the C1 CSI, a right-to-left override, as QEMU would encode them. */
  static final String STATUS =
      "{\"status\": \"run\\u001b[31mning\\r\\u0000\\u007f\\u009b2J\\u202e\"}";

  static final String STATUS_PRINTED =
      "{\n  \"status\": \"run\\u001B[31mning\\r\\u0000\\u007F\\u009b2J\\u202e\"\n}\n";

  static final String ERROR_CLASS = "Generic\u001b[0mError";
  static final String ERROR_DESC =
      "bad \u001b]0;title\u0007 \r\u0000 \u009b2J \u202e thing\nsecond line";
  static final String ERROR_PRINTED =
      "Generic\\x1b[0mError: bad \\x1b]0;title\\x07 \\x0d\\x00 \\x9b2J \\u202e thing second"
          + " line\n";

  /** One line, no log line, no stack trace, nothing unsafe. */
  private static void assertOneSafeLine(Result r) {
    assertThat(r.err()).hasLineCount(1).doesNotContain("WARN").doesNotContain("\tat ");
    assertThat(UNSAFE.matcher(r.err()).find())
        .as("a raw control character in %s", r.err())
        .isFalse();
  }

  /** A recorded running sandbox whose QEMU is this JVM (its pid, as SO_PEERCRED reports it). */
  private static String saveRunningSandboxServedByThisJvm(FsStore store) throws Exception {
    long me = ProcessHandle.current().pid();
    SandboxState s = SampleStates.sandbox(ID, 0, 0);
    s =
        s.toBuilder()
            .state("running")
            .hypervisorState(s.hypervisorState().toBuilder().pid(me).build())
            .agentState(new AgentState(me, "/x/kata.sock"))
            .build();
    store.save(s, Map.of());
    Files.createDirectories(store.vmDir(ID));
    return s.hypervisorState().uuid();
  }

  private Result qmp(String command, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("qmp", "--socket", sock, command));
    args.addAll(List.of(more));
    return vmm4j(args);
  }

  private Result sandboxQmp(String command) throws Exception {
    return vmm4j(List.of("--root", root.toString(), "qmp", ID, command, "--timeout", "10"));
  }

  /** {@code vmm4j args...} in a JVM of its own, with the command's own logging set-up. */
  private Result vmm4j(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dlogback.configurationFile=logback.xml");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(ChildClassPath.of(HostileQmpPeerCliTest.class));
    cmd.add(Vmm4j.class.getName());
    cmd.addAll(args);
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("vmm4j " + args + " did not end within 60 s");
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
