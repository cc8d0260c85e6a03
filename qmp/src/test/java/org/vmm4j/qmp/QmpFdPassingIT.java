package org.vmm4j.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFPipe;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;
import org.vmm4j.testing.qmp.TestQemu;

/** getfd / add-fd with a real QEMU: the same pipe shows up in {@code /proc/<qemu>/fd}. */
class QmpFdPassingIT {
  private TestQemu qemu;
  private QmpClient qmp;
  private AFPipe pipe;

  @BeforeAll
  static void needsQemu() {
    assumeTrue(TestQemu.available(), TestQemu.MISSING);
  }

  @BeforeEach
  void start() throws IOException {
    qemu = TestQemu.start();
    qmp = TestClients.connect(qemu);
    pipe = AFPipe.open();
  }

  @AfterEach
  void stop() throws IOException {
    pipe.close();
    qmp.close();
    qemu.close();
  }

  @Test
  void getfdHandsQemuTheSamePipe() throws IOException {
    String inode = ReceivedQmpCommand.describeFd(pipe.sink().getFileDescriptor());
    assertThat(qemuFds()).doesNotContain(inode);
    qmp.call(new GetFd("pipe0", pipe.sink().getFileDescriptor()));
    assertThat(qemuFds()).contains(inode);
    qmp.call(new CloseFd("pipe0"));
    assertThat(qemuFds()).doesNotContain(inode);
    assertThatThrownBy(() -> qmp.call(new CloseFd("pipe0")))
        .isInstanceOf(QmpCommandException.class);
  }

  @Test
  void addFdPutsTheDescriptorInAnFdset() throws IOException {
    String inode = ReceivedQmpCommand.describeFd(pipe.source().getFileDescriptor());
    AddFdInfo added = qmp.call(new AddFd(pipe.source().getFileDescriptor(), null, "rootfs-ro"));
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + qemu.pid() + "/fd/" + added.fd())))
        .hasToString(inode);
    assertThat(qmp.call(new QueryFdsets()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.fdsetId()).isEqualTo(added.fdsetId());
              assertThat(s.fds()).containsExactly(new FdsetInfo.Fd(added.fd(), "rootfs-ro"));
            });
    // QEMU closes removed descriptors only while the VM runs (monitor_fdset_cleanup).
    qmp.call(new Cont());
    qmp.call(new RemoveFd(added.fdsetId()));
    assertThat(qmp.call(new QueryFdsets())).isEmpty();
    assertThat(qemuFds()).doesNotContain(inode);
  }

  @Test
  void aGetfdWithoutDescriptorIsRefusedByQemu() {
    Execute withoutFd = new Execute("getfd", Json.object().put("fdname", "x"));
    assertThatThrownBy(() -> qmp.call(withoutFd))
        .isInstanceOfSatisfying(
            QmpCommandException.class, e -> assertThat(e.desc()).contains("SCM_RIGHTS"));
  }

  @Test
  void manyFdCommandsFromManyThreadsEachGetTheirOwnDescriptor() throws Exception {
    List<AFPipe> pipes = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        AFPipe p = AFPipe.open();
        pipes.add(p);
        String name = "p" + i;
        Thread t =
            new Thread(
                () -> {
                  try {
                    qmp.call(new GetFd(name, p.sink().getFileDescriptor()));
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(30_000);
      }
      assertThat(failures).isEmpty();
      List<String> held = qemuFds();
      for (AFPipe p : pipes) {
        assertThat(held).contains(ReceivedQmpCommand.describeFd(p.sink().getFileDescriptor()));
      }
    } finally {
      for (AFPipe p : pipes) {
        p.close();
      }
    }
  }

  private List<String> qemuFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + qemu.pid() + "/fd"))) {
      List<String> out = new ArrayList<>();
      for (Path fd : fds.toList()) {
        try {
          out.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // closed meanwhile
        }
      }
      return out;
    }
  }
}
