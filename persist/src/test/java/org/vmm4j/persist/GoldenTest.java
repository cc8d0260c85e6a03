package org.vmm4j.persist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.persist.codec.GoField;

/**
 * Every golden document (in Go's exact encoding) decodes to its expected object, and that object
 * encodes to the same bytes. {@code golden/go} holds files written by Kata 1.13's own Go types.
 */
class GoldenTest {
  private static final Map<String, Object> EXPECTED = GoldenObjects.all();

  static Path goldenDir() {
    try {
      return Path.of(GoldenTest.class.getResource("/golden").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> goldenNames() {
    List<String> names = new ArrayList<>();
    for (String dir : List.of("types", "go")) {
      try (Stream<Path> files = Files.list(goldenDir().resolve(dir))) {
        files.forEach(
            f -> {
              String n = f.getFileName().toString().replaceFirst("\\.json$", "");
              names.add(dir.equals("go") ? "go/" + n : n);
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    names.sort(null);
    return names;
  }

  static byte[] golden(String name) throws IOException {
    String rel = name.startsWith("go/") ? name + ".json" : "types/" + name + ".json";
    return Files.readAllBytes(goldenDir().resolve(rel));
  }

  @ParameterizedTest
  @MethodSource("goldenNames")
  void decodesToTheExpectedObjectAndEncodesToTheSameBytes(String name) throws IOException {
    byte[] json = golden(name);
    Object expected = EXPECTED.get(name);
    assertThat(expected).as("expected object for golden %s", name).isNotNull();
    @SuppressWarnings("unchecked")
    Class<? extends Record> type = (Class<? extends Record>) expected.getClass();
    Record decoded = PersistCodec.decodeValue(type, json, name);
    assertThat(decoded).isEqualTo(expected);
    assertThat(new String(PersistCodec.encodeValue((Record) expected), UTF_8))
        .isEqualTo(new String(json, UTF_8));
    assertThat(PersistCodec.encodeValue(decoded)).isEqualTo(json);
  }

  @Test
  void everyExpectedObjectHasAGoldenFile() {
    assertThat(goldenNames()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }

  @Test
  void everySchemaTypeHasAGolden() throws Exception {
    List<Class<?>> schema = schemaTypes();
    assertThat(schema).hasSizeGreaterThanOrEqualTo(56);
    List<String> covered =
        EXPECTED.values().stream().map(o -> o.getClass().getSimpleName()).toList();
    for (Class<?> c : schema) {
      assertThat(covered).as("a golden file for %s", c.getSimpleName()).contains(c.getSimpleName());
    }
  }

  @Test
  void goSamplesAreDetectedAndRoundTrip() throws IOException {
    byte[] sandbox = golden("go/sandbox-sample");
    byte[] container = golden("go/container-sample");
    assertThat(PersistCodec.decodeDetected(sandbox, "s")).isInstanceOf(SandboxState.class);
    assertThat(PersistCodec.decodeDetected(container, "c")).isInstanceOf(ContainerState.class);
    assertThat(PersistCodec.encode(PersistCodec.decodeSandbox(sandbox, "s"))).isEqualTo(sandbox);
    assertThat(PersistCodec.encode(PersistCodec.decodeContainer(container, "c")))
        .isEqualTo(container);
  }

  /** Every record of the root package whose components carry {@link GoField}. */
  static List<Class<?>> schemaTypes() throws Exception {
    Path classes =
        Path.of(PersistCodec.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("org/vmm4j/persist");
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (!n.endsWith(".class") || n.contains("$")) {
          continue;
        }
        Class<?> c = Class.forName("org.vmm4j.persist." + n.replace(".class", ""));
        if (c.isRecord()
            && Arrays.stream(c.getRecordComponents())
                .anyMatch(rc -> rc.isAnnotationPresent(GoField.class))) {
          out.add(c);
        }
      }
    }
    return out;
  }
}
