package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Every {@link GoldenCases} command line equals its golden file, {@code golden/<name>.txt}. Run
 * with {@code -Dvmm4j.golden.update=true} to rewrite the files (then review the diff).
 */
class QemuCommandLineGoldenTest {
  @TempDir Path dir;

  static Stream<GoldenCases.Case> cases() {
    return GoldenCases.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void commandLineMatchesGolden(GoldenCases.Case c) throws IOException {
    TestAssets assets = TestAssets.create(dir);
    String actual = GoldenRendering.render(c.build(assets, c.host()), assets);
    String resource = "/golden/" + c.name() + ".txt";
    if (Boolean.getBoolean("vmm4j.golden.update")) {
      Path file = Path.of("src/test/resources" + resource);
      Files.writeString(file, actual);
    }
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      assertThat(in).as("golden file %s", resource).isNotNull();
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(actual).isEqualTo(expected);
    }
  }
}
