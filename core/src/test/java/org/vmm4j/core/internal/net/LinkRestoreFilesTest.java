package org.vmm4j.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.network.IpPrefix;
import org.vmm4j.network.LinkRestore;
import org.vmm4j.network.Route;

class LinkRestoreFilesTest {
  @TempDir Path dir;

  @Test
  void roundTripsRoutesAndState() {
    LinkRestore r =
        new LinkRestore(
            List.of(
                Route.via(null, IpPrefix.literal("10.88.0.1"), 7, 2),
                Route.direct(IpPrefix.parse("fd00::/64"), 7),
                new Route(
                    2,
                    IpPrefix.parse("10.9.0.0/16"),
                    IpPrefix.literal("10.88.0.1"),
                    IpPrefix.literal("10.88.0.5"),
                    7,
                    100,
                    4,
                    0,
                    1,
                    50)),
            false,
            true);
    LinkRestoreFiles.write(dir, "eth0", r);
    assertThat(LinkRestoreFiles.read(dir, "eth0")).isEqualTo(r);
    LinkRestoreFiles.delete(dir, "eth0");
    assertThat(LinkRestoreFiles.read(dir, "eth0")).isEqualTo(LinkRestore.NONE);
  }

  @Test
  void nothingIsWrittenForNoneAndGarbageReadsAsNone() throws Exception {
    LinkRestoreFiles.write(dir, "eth0", LinkRestore.NONE);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
    Files.writeString(dir.resolve("net-eth1.json"), "{not json");
    assertThat(LinkRestoreFiles.read(dir, "eth1")).isEqualTo(LinkRestore.NONE);
  }
}
