package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalEchoTest {
  private static String echo(String typed) {
    byte[] b = typed.getBytes(StandardCharsets.UTF_8);
    return new String(LocalEcho.of(b, b.length), StandardCharsets.UTF_8);
  }

  @Test
  void printableAsTypedEnterAsNewlineBackspaceErases() {
    assertThat(echo("ls -l\r")).isEqualTo("ls -l\n");
    assertThat(echo("ab\u007f\b\tc\n")).isEqualTo("ab\b \b\b \b\tc\n");
    assertThat(echo("grüß")).isEqualTo("grüß");
  }

  @Test
  void controlCharactersAndEscapeSequencesShowNothing() {
    assertThat(echo("a\u0003b\u0004")).isEqualTo("ab");
    assertThat(echo("\u001b[A\u001b[1;5Cx\u001bOPy")).isEqualTo("xy");
  }
}
