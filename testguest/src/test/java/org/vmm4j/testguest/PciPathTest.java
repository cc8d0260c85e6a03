package org.vmm4j.testguest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PCI paths from sysfs paths (golden table): the Java parser and the agent's own shell function
 * ({@code pcipath_of} in agent.sh, run by the host's busybox sh) must both match the table.
 */
class PciPathTest {
  @TempDir Path dir;

  record Case(String sysfs, String expected) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (String l : AgentParsersTest.golden("pcipaths.txt")) {
      if (!l.startsWith("#") && !l.isBlank()) {
        String[] f = l.split("\\|");
        out.add(new Case(f[0].strip(), f[1].strip()));
      }
    }
    return out;
  }

  @Test
  void javaParserMatchesTable() throws IOException {
    for (Case c : cases()) {
      Optional<String> want =
          c.expected().equals("-") ? Optional.empty() : Optional.of(c.expected());
      assertThat(AgentParsers.pciPathOfSysfs(c.sysfs())).as(c.sysfs()).isEqualTo(want);
    }
  }

  @Test
  void agentShellFunctionMatchesTable() throws Exception {
    Path busybox = Path.of("/bin/busybox");
    assumeTrue(Files.isExecutable(busybox), "no /bin/busybox (install busybox-static)");
    Path agent = dir.resolve("agent.sh");
    try (var in = getClass().getResourceAsStream("/org/vmm4j/testguest/guest/agent.sh")) {
      Files.write(agent, in.readAllBytes());
    }
    StringBuilder script = new StringBuilder(". " + agent + "\n");
    List<Case> cases = cases();
    for (Case c : cases) {
      script.append("pcipath_of '").append(c.sysfs()).append("'\n");
    }
    ProcessBuilder pb = new ProcessBuilder(busybox.toString(), "sh", "-c", script.toString());
    pb.environment().put("VMM4J_AGENT_LIB", "1");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<String> out =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(out).containsExactlyElementsOf(cases.stream().map(Case::expected).toList());
  }
}
