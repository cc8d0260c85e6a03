package org.vmm4j.it.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.AgentException;

/** A guest that never answers (QEMU stopped with -S) gives a clear error within the deadline. */
class AgentNeverAnswersIT {

  @Test
  void pausedGuestTimesOutWithTheSocketAndDeadlineInTheMessage() throws Exception {
    try (TestVm vm = TestVm.start("q35", dir -> List.of("-S"), "agent=hvc0")) {
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () ->
                  AgentClient.connect(
                      vm.consoleSock(), Duration.ofSeconds(3), Duration.ofSeconds(1)))
          .isInstanceOf(AgentException.class)
          .hasMessage(
              "guest agent on "
                  + vm.consoleSock()
                  + " did not say READY within 3s; last output: (nothing)");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(vm.process.isAlive()).isTrue();
    }
  }

  @Test
  void agentOnAnotherChannelDoesNotAnswerTheConsole() throws Exception {
    // The guest boots, but its agent serves only ttyS1: the console stays silent.
    try (TestVm vm = TestVm.start("pc", dir -> List.of(), "agent=ttyS1");
        AgentClient ok = vm.agent(vm.ttyS1Sock(), TestVm.BOOT_TIMEOUT)) {
      assertThat(ok.ping()).isTrue();
      assertThatThrownBy(
              () ->
                  AgentClient.connect(
                      vm.consoleSock(), Duration.ofSeconds(2), Duration.ofSeconds(1)))
          .isInstanceOf(AgentException.class)
          .hasMessageStartingWith(
              "guest agent on " + vm.consoleSock() + " did not say READY within 2s; last output: ");
    }
  }
}
