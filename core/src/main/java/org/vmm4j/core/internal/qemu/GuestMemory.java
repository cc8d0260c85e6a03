package org.vmm4j.core.internal.qemu;

/**
 * How guest RAM is backed ({@code -object <backend>,id=dimm1,...}); memory hot-plugged later must
 * use the same kind of backend, and vhost-user devices need {@link #shared()} memory with a file
 * descriptor (a file or memfd backend: the daemon maps it).
 *
 * @param backend {@code memory-backend-ram}, {@code memory-backend-file} or {@code
 *     memory-backend-memfd}
 * @param memPath the file backend's {@code mem-path} (a directory such as {@code /dev/hugepages},
 *     or a template file); "" otherwise
 * @param shared {@code share=on}
 * @param prealloc {@code prealloc=on}
 */
public record GuestMemory(String backend, String memPath, boolean shared, boolean prealloc) {
  public static final String RAM = "memory-backend-ram";
  public static final String FILE = "memory-backend-file";
  public static final String MEMFD = "memory-backend-memfd";

  /** Whether a vhost-user daemon can map this memory (shared, with an fd). */
  public boolean vhostUserCapable() {
    return shared && !backend.equals(RAM);
  }
}
