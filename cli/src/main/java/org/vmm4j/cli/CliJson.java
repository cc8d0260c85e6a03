package org.vmm4j.cli;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CLI's one JSON mapper, and the pretty writer of {@code qmp} and {@code check} (the other
 * commands' {@code --json} is one compact line). What it writes escapes every character {@link
 * TerminalText} escapes (JSON escapes only C0 controls), so that text from QEMU cannot reach the
 * terminal raw.
 */
final class CliJson {
  static final JsonMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder().characterEscapes(new Escapes()).build()).build();

  /** Two-space indent, {@code "key": value}. */
  static final ObjectWriter PRETTY = MAPPER.writer().with(prettyPrinter());

  private CliJson() {}

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
  }

  /**
   * JSON's escapes, also for DEL and the other characters unsafe on a terminal (surrogates, which
   * come in pairs here, stay).
   */
  private static final class Escapes extends CharacterEscapes {
    private static final int[] ASCII = ascii();

    private static int[] ascii() {
      int[] codes = standardAsciiEscapesForJSON();
      codes[0x7f] = ESCAPE_STANDARD;
      return codes;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ASCII.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      boolean escape = TerminalText.unsafe(ch) && !Character.isSurrogate((char) ch);
      return escape ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }
}
