package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Modes do not depend on the umask: a child JVM saves under a hostile umask (000 would make files
 * world-writable, 777 would make them unreadable) and the modes are exactly 0600 and 0700.
 */
class FsStoreUmaskTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"000", "777", "022"})
  void filesAre0600AndDirectories0700WhateverTheUmask(String umask) throws Exception {
    Path root = tmp.resolve("vc");
    List<String> cmd =
        new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
    cmd.addAll(ChildJvm.command("save", root.toString(), "sb"));
    try (ChildJvm child = ChildJvm.start(cmd)) {
      assertThat(child.awaitLine("saved")).isEqualTo("saved");
      assertThat(child.waitFor()).isZero();
    }
    for (String d : List.of("", "sbs", "sbs/sb", "sbs/sb/c1", "uuid", "vm", "vm/sb", "locks")) {
      assertThat(FsStoreTest.mode(root.resolve(d)))
          .as("umask %s: %s", umask, d)
          .isEqualTo("rwx------");
    }
    for (String f :
        List.of(
            "sbs/sb/persist.json", "sbs/sb/c1/persist.json", "uuid/uuid.json", "locks/sb.lock")) {
      assertThat(FsStoreTest.mode(root.resolve(f)))
          .as("umask %s: %s", umask, f)
          .isEqualTo("rw-------");
    }
    assertThat(new FsStore(root).load("sb").sandbox()).isEqualTo(StoreSamples.sandbox("sb", 2, 1));
  }
}
