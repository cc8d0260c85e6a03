package org.vmm4j.core.internal.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.internal.config.AllowlistSyntax;
import org.vmm4j.core.internal.config.GoGlob;

/**
 * The path gate on a real tree: Go glob semantics (Kata's {@code checkPathIsInGlobs} table), no
 * {@code ..}, no symbolic link, no relative or missing path, and the syntax of allowlist entries.
 */
class AllowlistsTest {
  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void tree() throws Exception {
    dir = tmp.toRealPath();
    for (String f : List.of("bin/ls", "bin/false", "bin/lsblk", "bin/.hidden", "sbin/ls")) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.writeString(dir.resolve(f), "x");
    }
    Files.createSymbolicLink(dir.resolve("bin/evil"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(dir.resolve("bin/lsl"), dir.resolve("bin/ls"));
    Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("bin"));
  }

  String check(List<String> globs, String value) {
    HypervisorConfig c =
        HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPathList(
                    globs.stream().map(g -> g.replace("{d}", dir.toString())).toList())
                .build());
    return Allowlists.checkPath(Allowlists.HYPERVISOR, c, value.replace("{d}", dir.toString()));
  }

  void refused(List<String> globs, String value, String reason) {
    assertThatThrownBy(() -> check(globs, value))
        .isInstanceOf(Refusal.class)
        .hasMessageContaining(reason.replace("{d}", dir.toString()));
  }

  @Test
  void katasGlobTable() {
    assertThat(check(List.of("{d}/bin/*ls*"), "{d}/bin/ls")).isEqualTo(dir + "/bin/ls");
    assertThat(check(List.of("{d}/bin/*ls*"), "{d}/bin/false")).isEqualTo(dir + "/bin/false");
    assertThat(check(List.of("{d}/bin/ls"), "{d}/bin/ls")).isEqualTo(dir + "/bin/ls");
    refused(List.of("bin/ls", "./bin/ls", "*/bin/ls"), "{d}/bin/ls", "does not match");
    refused(List.of("{d}/bin/ls"), "{d}/bin/false", "does not match valid_hypervisor_paths");
  }

  @Test
  void starNeverCrossesASlashAndMatchesDotFiles() {
    refused(List.of("{d}/*"), "{d}/bin/ls", "does not match");
    refused(List.of("{d}/**"), "{d}/bin/ls", "does not match");
    assertThat(check(List.of("{d}/*/ls"), "{d}/sbin/ls")).isEqualTo(dir + "/sbin/ls");
    assertThat(check(List.of("{d}/bin/*"), "{d}/bin/.hidden")).endsWith(".hidden");
  }

  @Test
  void dotDotIsNeverAccepted() {
    refused(List.of("{d}/bin/*"), "{d}/bin/../bin/ls", "is not in normal form");
    refused(List.of("{d}/*/*"), "{d}/sbin/../bin/ls", "is not in normal form");
    refused(List.of("{d}/*/*/*"), "{d}/bin/../../etc", "is not in normal form");
    refused(List.of("{d}/bin/*"), "{d}/bin/./ls", "is not in normal form");
    refused(List.of("{d}/bin/*"), "{d}/bin//ls", "is not in normal form");
    // an entry with '..' is not a valid entry: it matches nothing
    refused(List.of("{d}/sbin/../bin/ls"), "{d}/bin/ls", "does not match");
  }

  @Test
  void symbolicLinksAreRefusedEvenWhenTheNameMatches() {
    refused(
        List.of("{d}/bin/*"), "{d}/bin/evil", "resolves to /etc/passwd through a symbolic link");
    refused(
        List.of("{d}/bin/ls*"), "{d}/bin/lsl", "resolves to {d}/bin/ls through a symbolic link");
    refused(
        List.of("{d}/linked/*"), "{d}/linked/ls", "resolves to {d}/bin/ls through a symbolic link");
  }

  @Test
  void relativeMissingAndEmptyAreRefused() {
    refused(List.of("{d}/bin/*"), "bin/ls", "bin/ls is not an absolute path");
    refused(List.of("{d}/bin/*"), "", "\"\" is not an absolute path");
    refused(List.of("{d}/bin/*"), "{d}/bin/nothing", "{d}/bin/nothing does not exist");
    refused(List.of(), "{d}/bin/ls", "valid_hypervisor_paths is empty");
    refused(List.of(""), "{d}/bin/ls", "valid_hypervisor_paths is empty");
  }

  @ParameterizedTest
  @CsvSource({
    "/usr/bin/qemu-*, /usr/bin/qemu-system-x86_64, true",
    "/usr/bin/qemu-?, /usr/bin/qemu-x, true",
    "/usr/bin/qemu-?, /usr/bin/qemu-xy, false",
    "/bin/[a-c]at, /bin/cat, true",
    "/bin/[a-c]at, /bin/rat, false",
    "/bin/[^a-c]at, /bin/rat, true",
    "/bin/[^a-c]at, /bin/bat, false",
    "/bin/\\*, /bin/*, true",
    "/bin/\\*, /bin/ls, false",
    "/bin/*.sh, /bin/x.sh, true",
    "/bin/*.sh, /bin/x.sh/y, false",
    "/a/*/c, /a/b/c, true",
    "/a/*/c, /a/b/b/c, false",
    "/a/*b*c*d, /a/xbycxd, true",
    "/a/*b*c*d, /a/xbycx, false"
  })
  void goGlobSemantics(String pattern, String path, boolean match) {
    assertThat(GoGlob.syntaxError(pattern)).isNull();
    assertThat(GoGlob.matches(pattern, path)).isEqualTo(match);
  }

  @Test
  void manyStarsStayLinear() {
    String name = "/" + "a".repeat(4000);
    assertThat(GoGlob.matches("/*a*a*a*a*a*a*a*a*a*b", name)).isFalse();
    assertThat(GoGlob.matches("/*a*a*a*a*a*a*a*a*a*a", name)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "bin/*, is not absolute",
    "/usr/../bin, is not in normal form",
    "/usr/./bin, is not in normal form",
    "/usr//bin, is not in normal form",
    "/usr/bin/, is not in normal form",
    "/usr/bin/[, is not a valid glob",
    "/usr/bin/[], is not a valid glob",
    "/usr/bin/[a-, is not a valid glob",
    "/usr/bin/x\\, is not a valid glob"
  })
  void badEntriesAreConfigErrors(String entry, String reason) {
    HypervisorConfig c =
        HypervisorConfig.of(
            HypervisorConfig.kataBuilder().virtioFsDaemonList(List.of(entry)).build());
    assertThatThrownBy(() -> AllowlistSyntax.check(c.kata(), c.live()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("VirtioFSDaemonList=" + entry + " " + reason)
        .hasMessageContaining("valid_virtio_fs_daemon_paths");
  }

  @Test
  void goodEntriesAndKatasEmptyEntryPass() {
    HypervisorConfig c =
        HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .fileBackedMemRootList(List.of(""))
                    .hypervisorPathList(List.of("/usr/bin/qemu-system-*", "/opt/[a-z]*/bin/q\\?"))
                    .enableAnnotations(List.of(".*", "default_(vcpus|memory)"))
                    .build())
            .editLive(l -> l.configPathList(List.of("/")));
    AllowlistSyntax.check(c.kata(), c.live());
    HypervisorConfig bad = c.editKata(k -> k.enableAnnotations(List.of("(")));
    assertThatThrownBy(() -> AllowlistSyntax.check(bad.kata(), bad.live()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("EnableAnnotations=( is not a valid regular expression");
  }
}
