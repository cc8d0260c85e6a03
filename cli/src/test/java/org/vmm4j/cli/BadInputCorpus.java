package org.vmm4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bad-input corpus ({@code bad-input-corpus.jsonl} next to this class): one JSON object per
 * line ({@code #} lines are comments), each a command line that must be refused cleanly.
 *
 * <pre>
 * {"name": "unique-name", "kind": "config|annotation|id|cli|device",
 *  "args": ["run", "--config", "{valid.json}", ...],   (after --root {root})
 *  "exit": 2,
 *  "err": ["the operation", "the value", ...],        (substrings of stderr's first line; 2+)
 *  "files": {"c.toml": "..."},                          (optional: written to {dir})
 *  "setup": "taken"}                                    (optional: see BadInputCorpusTest)
 * </pre>
 *
 * Placeholders, in args, err and file contents: {@code {root}} the state root, {@code {dir}} the
 * case's directory (where files go), {@code {kernel}} {@code {initrd}} {@code {image}} test assets,
 * {@code {assets}} their directory, {@code {qemu}} a fake QEMU, {@code {valid.json}} and {@code
 * {valid.toml}} valid configs (in {@code {dir}}; every allowlist names the assets, {@code
 * enable_annotations = [".*"]}), {@code {id129}} a 129-character id.
 */
record BadInputCorpus(
    String name,
    String kind,
    List<String> args,
    int exit,
    List<String> err,
    Map<String, String> files,
    String setup) {

  static final String RESOURCE = "bad-input-corpus.jsonl";

  @Override
  public String toString() {
    return kind + ": " + name;
  }

  static List<BadInputCorpus> load() {
    JsonMapper mapper = JsonMapper.builder().build();
    List<BadInputCorpus> out = new ArrayList<>();
    String text;
    try (InputStream in = BadInputCorpus.class.getResourceAsStream(RESOURCE)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      JsonNode c = mapper.readTree(line);
      Map<String, String> files = new LinkedHashMap<>();
      if (c.has("files")) {
        c.get("files").properties().forEach(e -> files.put(e.getKey(), e.getValue().stringValue()));
      }
      out.add(
          new BadInputCorpus(
              required(c, "name", n).stringValue(),
              required(c, "kind", n).stringValue(),
              strings(required(c, "args", n)),
              required(c, "exit", n).intValue(),
              strings(required(c, "err", n)),
              files,
              c.has("setup") ? c.get("setup").stringValue() : ""));
    }
    return out;
  }

  private static JsonNode required(JsonNode c, String field, int line) {
    JsonNode v = c.get(field);
    if (v == null) {
      throw new IllegalArgumentException(RESOURCE + ":" + line + ": no \"" + field + "\"");
    }
    return v;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.values().forEach(v -> out.add(v.stringValue()));
    return out;
  }
}
