package org.vmm4j.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * No field of Kata's persisted {@code HypervisorConfig} is forgotten: each one can be set through
 * the JSON form, and through a {@code [hypervisor.qemu]} key unless {@link KataKeys#NOT_IN_TOML}
 * says why not. A component added to {@code org.vmm4j.persist.HypervisorConfig} fails here until it
 * has a TOML key (or a documented reason) and its type has a JSON form.
 */
class ConfigCoverageTest {
  /** vhost-vsock present, so that {@code use_vsock = true} stays true. */
  static final LoadOptions HOST = new LoadOptions(2, true, false);

  @TempDir Path tmp;
  TestAssets assets;

  /** An existing file, no key's default: the value of every string key. */
  Path file;

  @BeforeEach
  void files() throws IOException {
    assets = TestAssets.create(tmp.toRealPath());
    file = assets.image();
  }

  private static RecordComponent[] persisted() {
    return org.vmm4j.persist.HypervisorConfig.class.getRecordComponents();
  }

  private static String goName(RecordComponent c) {
    return c.getAnnotation(GoField.class).value();
  }

  @Test
  void everyPersistedFieldIsSetByTheJsonForm() throws Exception {
    for (RecordComponent c : persisted()) {
      Object expected;
      String json;
      if (c.getType() == long.class) {
        expected = 7L;
        json = "7";
      } else if (c.getType() == boolean.class) {
        expected = true;
        json = "true";
      } else if (c.getType() == String.class) {
        expected = "x";
        json = "\"x\"";
      } else {
        expected = List.of("a");
        json = "[\"a\"]";
      }
      HypervisorConfig config =
          JsonConfigCodec.read("{\"" + goName(c) + "\":" + json + "}", "c.json");
      assertThat(c.getAccessor().invoke(config.kata())).as(goName(c)).isEqualTo(expected);
      assertThat(JsonConfigCodec.read(JsonConfigCodec.write(config), "again.json"))
          .isEqualTo(config);
    }
  }

  @Test
  void everyPersistedFieldHasATomlKeyOrADocumentedReason() {
    List<String> missing = new ArrayList<>();
    for (RecordComponent c : persisted()) {
      boolean keyed = KataKeys.ALL.stream().anyMatch(k -> settable(k, goName(c)));
      boolean documented = KataKeys.NOT_IN_TOML.containsKey(goName(c));
      if (keyed == documented) {
        missing.add(goName(c) + (keyed ? " (both keyed and documented absent)" : ""));
      }
    }
    assertThat(missing).as("fields with no [hypervisor.qemu] key and no reason").isEmpty();
    assertThat(KataKeys.NOT_IN_TOML.keySet())
        .allMatch(f -> ConfigFields.byName(f) != null && ConfigFields.byName(f).persisted());
  }

  /** Each key with a rule changes its field: setting it gives another value than leaving it. */
  @Test
  void everyTomlKeyReachesItsField() {
    HypervisorConfig base = toml(baseKeys());
    for (KataKeys.Key key : KataKeys.ALL) {
      if (key.rule() == null) {
        continue;
      }
      Map<String, String> keys = baseKeys();
      keys.putAll(valueOf(key));
      HypervisorConfig set = toml(keys);
      ConfigFields.Field f = ConfigFields.field(key.field());
      assertThat(f.get(set.kata(), set.live()))
          .as("%s sets %s", key.toml(), key.field())
          .isNotEqualTo(f.get(base.kata(), base.live()));
    }
  }

  private static boolean settable(KataKeys.Key k, String field) {
    return k.field().equals(field) && k.rule() != null;
  }

  private Map<String, String> baseKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("kernel", quoted(assets.kernel().toString()));
    keys.put("initrd", quoted(assets.initrd().toString()));
    return keys;
  }

  /** A value of {@code key} that its rule keeps and that is not its default. */
  private Map<String, String> valueOf(KataKeys.Key key) {
    Map<String, String> extra = new LinkedHashMap<>();
    String value =
        switch (key.type()) {
          case BOOL -> Boolean.TRUE.equals(key.absent()) ? "false" : "true";
          case UINT32, INT32 -> "3";
          case STRINGS -> "[" + quoted(file.toString()) + "]";
          case STRING -> quoted(file.toString());
        };
    switch (key.toml()) {
      case "shared_fs" -> {
        value = quoted(KataFacts.VIRTIO_FS);
        extra.put("virtio_fs_daemon", quoted(file.toString()));
      }
      case "block_device_driver" -> value = quoted(KataFacts.VIRTIO_BLK);
      case "machine_type" -> value = quoted("q35");
      case "kernel_params" -> value = quoted("a=b");
      case "image" -> extra.put("initrd", quoted(""));
      default -> {}
    }
    extra.put(key.toml(), value);
    return extra;
  }

  private HypervisorConfig toml(Map<String, String> keys) {
    StringBuilder text = new StringBuilder("[hypervisor.qemu]\n");
    keys.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    return KataToml.parse(text.toString(), "c.toml", HOST).hypervisor();
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
