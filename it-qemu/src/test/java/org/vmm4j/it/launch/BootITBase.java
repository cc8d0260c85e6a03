package org.vmm4j.it.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.SandboxEvent.QemuExited;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StopOutcome;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestCpus;
import org.vmm4j.testguest.GuestMemory;
import org.vmm4j.testguest.GuestPciDevice;
import tools.jackson.databind.JsonNode;

/**
 * One sandbox per machine type, started through {@link Sandbox#start}: the guest's agent, asked on
 * the Kata console, sees the vCPUs and memory of the config and the bridges of the state; the state
 * is what a started sandbox records; {@link Sandbox#restore} finds it again; {@code stop} ends it
 * with {@code quit} and leaves a {@code stopped} state and no VM directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BootITBase {
  static final long VCPUS = 2;
  static final long MEMORY_MIB = 384;

  Path root;
  FsStore store;
  Sandbox sandbox;
  AgentClient agent;
  final CopyOnWriteArrayList<QemuExited> exits = new CopyOnWriteArrayList<>();

  abstract String machine();

  /** PCIe root ports (q35 only). */
  long rootPorts() {
    return 0;
  }

  String id() {
    return "boot-" + machine();
  }

  @BeforeAll
  void boot() throws Exception {
    root = Files.createTempDirectory("vmm4j-boot");
    store = new FsStore(root);
    SandboxOptions options = SandboxOptions.defaults().withListener(Fixture.exits(exits::add));
    sandbox =
        Sandbox.start(
            store,
            Fixture.spec(
                id(),
                Fixture.config(machine(), VCPUS, MEMORY_MIB)
                    .editKata(k -> k.pcieRootPort(rootPorts()))),
            options);
    agent = Fixture.agent(sandbox.paths().consoleSocket());
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (sandbox != null && sandbox.status() == Sandbox.Status.RUNNING) {
      sandbox.delete();
    }
    org.vmm4j.core.internal.vm.Dirs.deleteTree(root);
  }

  @Test
  @Order(1)
  void theGuestSeesTheConfiguredCpusAndMemory() {
    GuestCpus cpus = agent.cpus();
    assertThat(cpus.nproc()).isEqualTo(VCPUS);
    assertThat(cpus.online()).isEqualTo("0-" + (VCPUS - 1));
    GuestMemory mem = agent.memory();
    // the kernel keeps some for itself: MemTotal is a little under the configured size
    assertThat(mem.memTotalKib()).isBetween(MEMORY_MIB * 1024 * 3 / 4, MEMORY_MIB * 1024);
  }

  @Test
  @Order(2)
  void theGuestSeesTheHotplugBridgesAtThePersistedSlots() {
    SandboxState st = store.load(id()).sandbox();
    for (var b : st.hypervisorState().bridges()) {
      String path = String.format("%02x", b.addr());
      assertThat(agent.pciDevices())
          .extracting(GuestPciDevice::pciPath)
          .as("bridge %s at slot %s", b.id(), path)
          .contains(path);
    }
  }

  @Test
  @Order(3)
  void theStateIsThatOfARunningSandbox() {
    SandboxState st = store.load(id()).sandbox();
    assertThat(st.state()).isEqualTo("running");
    assertThat(st.persistVersion()).isEqualTo(2);
    assertThat(st.hypervisorState().pid()).isEqualTo(sandbox.pid());
    assertThat(st.hypervisorState().uuid()).isEqualTo(sandbox.uuid().toString());
    assertThat(st.agentState().proxyPid()).isEqualTo(sandbox.pid());
    assertThat(st.agentState().url()).isEqualTo(sandbox.paths().agentSocket().toString());
    assertThat(st.config().hypervisorConfig().numVcpus()).isEqualTo(VCPUS);
    assertThat(st.config().hypervisorConfig().hypervisorMachineType()).isEqualTo(machine());
    assertThat(sandbox.paths().vmDir()).isEqualTo(store.vmDir(id()));
  }

  @Test
  @Order(4)
  void anotherControllerReattachesWhileThisOneHoldsTheControllerSocket() {
    try (Sandbox second = Sandbox.restore(store, id())) {
      assertThat(second.pid()).isEqualTo(sandbox.pid());
      assertThat(second.uuid()).isEqualTo(sandbox.uuid());
      // the first controller holds qmp.sock: the second got the tools socket
      assertThat(second.qmp().socket()).isEqualTo(sandbox.paths().toolsQmpSocket());
      JsonNode status = second.qmp().execute("query-status", null);
      assertThat(status.path("status").asString()).isEqualTo("running");
    }
    // closing a reattached sandbox leaves QEMU running
    assertThat(ProcessHandle.of(sandbox.pid())).hasValueSatisfying(h -> h.isAlive());
  }

  @Test
  @Order(5)
  void restoreAfterTheStarterLetGoTakesTheControllerSocket() {
    QmpClient before = sandbox.qmp();
    sandbox.close();
    assertThat(before.isConnected()).isFalse();
    sandbox = Sandbox.restore(store, id());
    sandbox.addListener(Fixture.exits(exits::add));
    assertThat(sandbox.qmp().socket()).isEqualTo(sandbox.paths().qmpSocket());
    assertThat(sandbox.accelerator().wireName()).isEqualTo("tcg");
    assertThat(agent.ping()).isTrue();
  }

  @Test
  @Order(6)
  void stopQuitsQemuAndKeepsAStoppedState() {
    long pid = sandbox.pid();
    assertThat(sandbox.stop()).isEqualTo(StopOutcome.QUIT);
    // this JVM reattached (it is QEMU's parent, but the reattached object does not know): stop
    // waits until QEMU is gone or a zombie (only QEMU's parent can reap it)
    assertThat(Fixture.exited(pid)).isTrue();
    SandboxState st = store.load(id()).sandbox();
    assertThat(st.state()).isEqualTo("stopped");
    assertThat(st.agentState().proxyPid()).isEqualTo(-1);
    assertThat(st.agentState().url()).isEmpty();
    assertThat(store.vmDir(id())).doesNotExist();
    assertThat(sandbox.stop()).isEqualTo(StopOutcome.ALREADY_GONE);
    // events come on vmm4j's event thread
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !exits.isEmpty());
    assertThat(exits)
        .as("the stop's exit, told as requested")
        .singleElement()
        .satisfies(e -> assertThat(e.pid()).isEqualTo(pid))
        .satisfies(e -> assertThat(e.requested()).isTrue());
  }

  @Test
  @Order(7)
  void deleteRemovesEverything() {
    sandbox.delete();
    assertThat(store.exists(id())).isFalse();
    assertThat(store.vmDir(id())).doesNotExist();
    assertThat(root.resolve("shared/sandboxes").resolve(id())).doesNotExist();
    assertThat(exits).as("nothing more exited").hasSize(1);
  }
}
