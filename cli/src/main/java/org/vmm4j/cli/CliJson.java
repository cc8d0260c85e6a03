package org.vmm4j.cli;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CLI's one JSON mapper, and the pretty writer of {@code qmp} and {@code check} (the other
 * commands' {@code --json} is one compact line).
 */
final class CliJson {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

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
}
