package org.vmm4j.testing.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jdeps finds a cycle that is there, across two and three packages, and none that is not. */
class PackageCyclesTest {
  @TempDir Path tmp;

  /** Compiles {@code sources} (path, text) into {@code tmp/classes} with the JDK's javac. */
  private Path compile(String... sources) throws IOException {
    List<String> args = new ArrayList<>(List.of("-d", tmp.resolve("classes").toString()));
    for (int i = 0; i < sources.length; i += 2) {
      Path file = tmp.resolve("src").resolve(sources[i]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, sources[i + 1]);
      args.add(file.toString());
    }
    int rc =
        ToolProvider.findFirst("javac")
            .orElseThrow()
            .run(System.out, System.err, args.toArray(new String[0]));
    assertThat(rc).as("javac").isZero();
    return tmp.resolve("classes");
  }

  @Test
  void aTwoPackageCycle() throws IOException {
    Path classes =
        compile(
            "m/a/A.java", "package m.a; public class A { m.b.B b; }",
            "m/b/B.java", "package m.b; public class B { public m.a.A a() { return null; } }",
            "m/c/C.java", "package m.c; public class C { m.a.A a; }");
    assertThat(PackageCycles.of(classes)).containsExactly(List.of("m.a", "m.b"));
  }

  @Test
  void aThreePackageCycleThroughAnExceptionAndAnAnnotation() throws IOException {
    Path classes =
        compile(
            "m/a/A.java", "package m.a; public class A { @m.b.Mark int x; }",
            "m/b/Mark.java",
                "package m.b; @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)"
                    + " public @interface Mark {}",
            "m/b/B.java", "package m.b; public class B { void f() throws m.c.Oops {} }",
            "m/c/Oops.java", "package m.c; public class Oops extends Exception { m.a.A a; }");
    assertThat(PackageCycles.of(classes)).containsExactly(List.of("m.a", "m.b", "m.c"));
  }

  @Test
  void oneWayDependenciesAreNoCycle() throws IOException {
    Path classes =
        compile(
            "m/a/A.java", "package m.a; public class A { m.b.B b; m.c.C c; }",
            "m/b/B.java", "package m.b; public class B { m.c.C c; }",
            "m/c/C.java", "package m.c; public class C { java.util.List<String> l; }");
    assertThat(PackageCycles.of(classes)).isEmpty();
  }

  @Test
  void thisModuleHasNone() {
    assertThat(PackageCycles.of(PackageCycles.class)).isEmpty();
  }
}
