package org.vmm4j.testguest;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Where the kernel package comes from: apt in real life, a local .deb in tests. */
interface KernelSource {

  /** The package and version to build from; throws a clear error when there is none. */
  KernelPackage resolve(Consumer<String> progress);

  /** Fetches the package's .deb into {@code dir} and returns its path. */
  Path download(KernelPackage pkg, Path dir, Consumer<String> progress);
}
