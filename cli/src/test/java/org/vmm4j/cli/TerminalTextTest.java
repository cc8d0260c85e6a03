package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void escapesControlAndFormatCharactersOnOneLine() {
    assertThat(TerminalText.oneLine("a\u001b[2Jb\rc\u0000d\u007fe\u0085f\u009bg\u202eh\u200bi\tj"))
        .isEqualTo("a\\x1b[2Jb\\x0dc\\x00d\\x7fe\\x85f\\x9bg\\u202eh\\u200bi\\x09j");
    assertThat(TerminalText.oneLine(" two\r\nlines\n ")).isEqualTo("two lines");
    assertThat(TerminalText.oneLine(null)).isEmpty();
  }

  @Test
  void keepsTextThatIsSafeUnchanged() {
    String s = "disk \u00e9t\u00e9 \u65e5\u672c \ud83d\ude00 /tmp/x y";
    assertThat(TerminalText.oneLine(s)).isSameAs(s);
  }

  @Test
  void escapesALoneSurrogateAndKeepsAPair() {
    assertThat(TerminalText.oneLine("a\ud83db\ud83d\ude00")).isEqualTo("a\\ud83db\ud83d\ude00");
  }

  @Test
  void linesKeepsLineBreaksAndTabs() {
    assertThat(TerminalText.lines("x\u001b\n\tat y\r\n")).isEqualTo("x\\x1b\n\tat y\\x0d\n");
  }

  @Test
  void theCommandsJsonEscapesWhatJsonLeavesRaw() {
    assertThat(
            CliJson.MAPPER.writeValueAsString(Map.of("s", "\u001b\u007f\u009b\u202e\ud83d\ude00")))
        .isEqualTo("{\"s\":\"\\u001B\\u007F\\u009b\\u202e\ud83d\ude00\"}");
  }
}
