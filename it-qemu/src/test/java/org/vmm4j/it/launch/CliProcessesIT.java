package org.vmm4j.it.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code vmm4j run} in one process, then {@code list}, {@code state}, {@code qmp}, {@code stop} and
 * {@code delete} in others (each a JVM of its own running {@code org.vmm4j.cli.Vmm4j}), and a
 * reattach from this JVM in between: every command finds the sandbox through its persisted state.
 */
class CliProcessesIT {
  static final JsonMapper JSON = JsonMapper.builder().build();

  Path root;
  FsStore store;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    Fixture.guest();
    root = Files.createTempDirectory("vmm4j-cli");
    store = new FsStore(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String id : store.list()) {
      Sandbox.delete(store, id, SandboxOptions.defaults());
    }
    Dirs.deleteTree(root);
  }

  Result vmm4j(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the command's own logging set-up (the test classpath has a logback-test.xml too)
    cmd.add("-Dlogback.configurationFile=logback.xml");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.vmm4j.cli.Vmm4j");
    cmd.add("--root");
    cmd.add(root.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("vmm4j %s ended", List.of(args)).isTrue();
    Result r =
        new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  @Test
  void runThenStateQmpStopDeleteFromOtherProcesses() throws Exception {
    Path config = root.resolve("sandbox.json");
    Files.writeString(config, ConfigLoader.toJson(Fixture.config("q35", 1, 256)));

    Result run = vmm4j("run", "--config", config.toString(), "--id", "mp", "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode started = JSON.readTree(run.out());
    long pid = started.path("pid").asLong();
    assertThat(started.path("id").asString()).isEqualTo("mp");
    assertThat(started.path("qmp").asString())
        .isEqualTo(store.vmDir("mp").resolve("qmp.sock").toString());
    assertThat(started.path("accel").asString()).isEqualTo("tcg");
    // the process that started QEMU has exited; QEMU has not
    assertThat(Fixture.qemusOf(store, "mp")).containsExactly(pid);

    Result dup = vmm4j("run", "--config", config.toString(), "--id", "mp");
    assertThat(dup.code()).isEqualTo(2);
    assertThat(dup.err()).isEqualTo("vmm4j run: start sandbox mp: the sandbox exists already\n");

    assertThat(vmm4j("list").out()).isEqualTo("mp running " + pid + "\n");
    Result state = vmm4j("state", "mp");
    assertThat(state.code()).isZero();
    assertThat(state.out()).contains("\"State\":\"running\"", "\"Pid\":" + pid + ",");

    Result status = vmm4j("qmp", "mp", "query-status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(JSON.readTree(status.out()).path("status").asString()).isEqualTo("running");

    // this JVM reattaches and holds the controller socket: the CLI then takes the tools socket
    try (Sandbox here = Sandbox.restore(store, "mp")) {
      assertThat(here.pid()).isEqualTo(pid);
      assertThat(here.qmp().socket()).isEqualTo(store.vmDir("mp").resolve("qmp.sock"));
      Result viaTools = vmm4j("qmp", "mp", "query-uuid");
      assertThat(viaTools.code()).as(viaTools.err()).isZero();
      assertThat(viaTools.out()).contains(here.uuid().toString());
    }

    Result stop = vmm4j("stop", "mp");
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(Fixture.qemusOf(store, "mp")).isEmpty();
    assertThat(vmm4j("list").out()).isEqualTo("mp stopped 0\n");
    assertThat(vmm4j("stop", "mp").code()).isZero();

    Result delete = vmm4j("delete", "mp");
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(store.exists("mp")).isFalse();
    assertThat(store.vmDir("mp")).doesNotExist();
    assertThat(vmm4j("state", "mp").code()).isEqualTo(1);
  }
}
