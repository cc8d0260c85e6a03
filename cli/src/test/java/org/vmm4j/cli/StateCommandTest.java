package org.vmm4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.persist.KataSamples;
import org.vmm4j.testing.persist.SampleStates;

class StateCommandTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Vmm4j.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private Path write(String name, byte[] content) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p;
  }

  @Test
  void printsGoWrittenSandboxAndContainerFilesUnchanged() throws IOException {
    Map<String, byte[]> samples =
        Map.of(
            "sandbox-sample",
            KataSamples.sandboxJson(),
            "container-sample",
            KataSamples.containerJson());
    for (String sample : samples.keySet()) {
      byte[] go = samples.get(sample);
      Result r = run("state", "--file", write(sample + ".json", go).toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo(new String(go, UTF_8));
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void printsTheCanonicalEncodingOfAValidButSparseFile() throws IOException {
    Result r =
        run(
            "state",
            "--file",
            write("s.json", "{ \"PersistVersion\" : 2 }".getBytes(UTF_8)).toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            new String(
                PersistCodec.encode(SandboxState.builder().persistVersion(2).build()), UTF_8));
    Result c =
        run(
            "state",
            "--file",
            write("c.json", "{\"Process\":{\"Pid\":7}}".getBytes(UTF_8)).toString());
    assertThat(c.code()).isZero();
    assertThat(c.out())
        .startsWith("{\"State\":\"\",\"Rootfs\":")
        .contains("\"Process\":{\"Token\":\"\",\"Pid\":7,");
  }

  @Test
  void anInvalidFileIsExit2WithOneLineNamingTheJsonPath() throws IOException {
    Map<String, String> cases =
        Map.of(
            "{\"HypervisorState\":{\"Bridges\":[{},{\"Addr\":\"2\"}]}}",
                "$.HypervisorState.Bridges[1].Addr: expected an integer (Go int), found string \"2\"",
            "{\"GuestMemoryBlockSizeMB\":-1}",
                "$.GuestMemoryBlockSizeMB: -1 is out of range for Go uint32",
            "{\"PersistVersion\":3}", "$.PersistVersion: persist version 3 is newer than 2",
            "{\"Devices\":[{\"Foo\":1}]}", "$.Devices[0].Foo: unknown field \"Foo\" in DeviceState",
            "{\"State\":null}", "$.State: null is not allowed here",
            "{\"Process\":{},\"PersistVersion\":2}",
                "$.PersistVersion: unknown field \"PersistVersion\" in ContainerState",
            "{\"Devices\":[{\"ID\":\"a\"},", "$.Devices: malformed JSON");
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path f = write("bad-" + i++ + ".json", c.getKey().getBytes(UTF_8));
      Result r = run("state", "--file", f.toString());
      assertThat(r.code()).as(c.getKey()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.errLines()).as(c.getKey()).hasSize(1);
      assertThat(r.err()).as(c.getKey()).startsWith("vmm4j state: " + f + ": " + c.getValue());
    }
  }

  @Test
  void aMissingFileAndBadUsageAreExit2() {
    Result missing = run("state", "--file", tmp.resolve("none.json").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo("vmm4j state: " + tmp.resolve("none.json") + ": no such file\n");
    assertThat(run("state").code()).isEqualTo(2);
    assertThat(run("state", "sb", "--file", "x").code()).isEqualTo(2);
    assertThat(run("state", "--file", "x", "--container", "c").code()).isEqualTo(2);
  }

  @Test
  void readsASandboxOrOneContainerFromTheStore() {
    Path root = tmp.resolve("vc");
    SandboxState s = SampleStates.sandbox("sb", 2, 1);
    new FsStore(root).save(s, Map.of("c1", SampleStates.container("c1", 3)));
    Result r = run("--root", root.toString(), "state", "sb");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(new String(PersistCodec.encode(s), UTF_8));
    Result c = run("--root", root.toString(), "state", "sb", "--container", "c1");
    assertThat(c.out())
        .isEqualTo(new String(PersistCodec.encode(SampleStates.container("c1", 3)), UTF_8));
    List<Result> failures = new ArrayList<>();
    failures.add(run("--root", root.toString(), "state", "nope"));
    failures.add(run("--root", root.toString(), "state", "sb", "--container", "c2"));
    for (Result f : failures) {
      assertThat(f.code()).as(f.err()).isEqualTo(1);
      assertThat(f.errLines()).hasSize(1);
    }
    assertThat(failures.get(0).err()).contains("vmm4j state: load sandbox nope: no state at");
    Result invalid = run("--root", root.toString(), "state", "../etc");
    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.err()).startsWith("vmm4j state: invalid sandbox id \"../etc\"");
  }
}
