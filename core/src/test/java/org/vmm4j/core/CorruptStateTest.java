package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.StateFormatException;
import org.vmm4j.testing.persist.SampleStates;

/**
 * A sandbox whose {@code persist.json} is truncated, garbage, valid JSON of the wrong shape, or
 * empty: {@link Sandbox#restore}, {@link Sandbox#stop(FsStore, String, SandboxOptions)}, {@link
 * Sandbox#connectQmp} and a hotplug on a sandbox object attached before the damage each fail with a
 * {@link StateException} (its cause the codec's {@link StateFormatException}) naming the file, and
 * the file keeps its bytes (the VM directory too; no QMP command is sent). {@link Sandbox#list} and
 * {@link Sandbox#delete(FsStore, String, SandboxOptions)} are {@link BrokenStateTest}'s: the one
 * lists it broken, the other removes it. The codec's own corruption cases are persist's ({@code
 * CodecErrorTest}); these are the sandbox's.
 */
class CorruptStateTest {
  static final String ID = "cs1";

  @TempDir Path root;

  /** Damaged forms of a valid state file. */
  static Map<String, byte[]> corruptions(byte[] good) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    int lastBrace = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).lastIndexOf('}');
    for (int cut : new int[] {1, good.length / 4, good.length / 2, lastBrace}) {
      m.put("truncated at " + cut + " of " + good.length, Arrays.copyOf(good, cut));
    }
    byte[] garbage = new byte[512];
    new Random(42).nextBytes(garbage);
    m.put("garbage bytes", garbage);
    m.put("empty", new byte[0]);
    m.put("a JSON array", "[1,2,3]".getBytes());
    m.put("a JSON string", "\"persist\"".getBytes());
    m.put("State a number", "{\"State\":5}".getBytes());
    m.put("HypervisorState a list", "{\"HypervisorState\":[]}".getBytes());
    m.put("an unknown field", "{\"NoSuchField\":true}".getBytes());
    m.put("a newer PersistVersion", "{\"PersistVersion\":99}".getBytes());
    return m;
  }

  @Test
  void everyByIdOperationNamesTheFileAndWritesNothing() throws IOException {
    FsStore store = new FsStore(root.resolve("store"));
    store.save(SampleStates.sandbox(ID, 2, 1), Map.of());
    Files.createDirectories(store.vmDir(ID));
    Path file = store.sandboxDir(ID).resolve(FsStore.STATE_FILE);
    byte[] good = Files.readAllBytes(file);
    SandboxOptions o = SandboxOptions.defaults();
    List<String> unclear = new ArrayList<>();
    corruptions(good)
        .forEach(
            (what, bytes) -> {
              write(file, bytes);
              check(what, "restore", file, bytes, unclear, () -> Sandbox.restore(store, ID, o));
              check(what, "stop", file, bytes, unclear, () -> Sandbox.stop(store, ID, o));
              check(
                  what, "connectQmp", file, bytes, unclear, () -> Sandbox.connectQmp(store, ID, o));
              assertThat(store.vmDir(ID)).as(what).isDirectory();
            });
    assertThat(unclear).isEmpty();
  }

  @Test
  void aHotplugOnASandboxAttachedBeforeTheDamageSendsNothingAndWritesNothing() throws IOException {
    try (FakeQemuSandbox f = FakeQemuSandbox.start()) {
      Path file = f.store.sandboxDir(FakeQemuSandbox.ID).resolve(FsStore.STATE_FILE);
      DiskSpec disk = DiskSpec.raw(f.disk("a.raw")).withDriver(BlockDriver.VIRTIO_BLK);
      Device first = f.sandbox.devices().plugDisk(disk); // the profile is read
      byte[] good = Files.readAllBytes(file);
      DiskSpec other = DiskSpec.raw(f.disk("b.raw")).withDriver(BlockDriver.VIRTIO_BLK);
      List<String> unclear = new ArrayList<>();
      int sent = f.fake.received().size();
      corruptions(good)
          .forEach(
              (what, bytes) -> {
                write(file, bytes);
                check(
                    what, "plug", file, bytes, unclear, () -> f.sandbox.devices().plugDisk(other));
                check(
                    what,
                    "unplug",
                    file,
                    bytes,
                    unclear,
                    () -> f.sandbox.devices().unplug(first.id()));
              });
      assertThat(unclear).isEmpty();
      assertThat(f.fake.received()).as("QMP commands sent").hasSize(sent);
      write(file, good);
      assertThat(PersistCodec.decodeSandbox(Files.readAllBytes(file), "t").devices()).hasSize(1);
    }
  }

  private static void check(
      String what, String op, Path file, byte[] bytes, List<String> unclear, Runnable call) {
    Throwable e = catchThrowable(call::run);
    // the API's root: a StateException (fault STATE) with the codec's error as its cause
    if (!(e instanceof StateException s)
        || s.fault() != Vmm4jException.Fault.STATE
        || !(e.getCause() instanceof StateFormatException)
        || !e.getMessage().contains(file.toString())) {
      unclear.add(what + ": " + op + ": " + e);
    }
    assertThat(read(file)).as(what + ": " + op + " left the bytes").isEqualTo(bytes);
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
