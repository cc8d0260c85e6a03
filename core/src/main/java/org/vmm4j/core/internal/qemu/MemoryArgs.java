package org.vmm4j.core.internal.qemu;

import java.util.Optional;
import org.vmm4j.core.api.HypervisorConfig;

/**
 * Guest RAM's backend (govmm's {@code appendMemoryKnobs} and Kata's file-backed memory rules) and
 * memory locking ({@code -overcommit mem-lock}, QEMU 7.2's form of {@code -realtime mlock}).
 *
 * <ul>
 *   <li>HugePages: {@code memory-backend-file,mem-path=/dev/hugepages};
 *   <li>else a file root (VM template: MemoryPath; virtio-fs or FileBackedMemRootDir: that root,
 *       {@code /dev/shm} by default): {@code memory-backend-file,mem-path=<root>};
 *   <li>else shared memory without a file: {@code memory-backend-memfd} (vmm4j's, for vhost-user);
 *   <li>else {@code memory-backend-ram}.
 * </ul>
 *
 * {@code share=on} for virtio-fs, a file root, the vhost-user store, a template to be, or {@code
 * SharedMemory}; {@code prealloc=on} for MemPrealloc, or hugepages with file-backed memory.
 */
final class MemoryArgs {
  static final String BACKEND_ID = "dimm1";
  static final String HUGEPAGES = "/dev/hugepages";
  static final String SHM = "/dev/shm";

  private MemoryArgs() {}

  static GuestMemory plan(HypervisorConfig c) {
    boolean fileRoot = c.usesVirtioFs() || !c.kata().fileBackedMemRootDir().isEmpty();
    String path = "";
    if (c.kata().hugePages()) {
      path = HUGEPAGES;
    } else if (c.templating()) {
      path = c.kata().memoryPath();
    } else if (fileRoot) {
      path = c.kata().fileBackedMemRootDir().isEmpty() ? SHM : c.kata().fileBackedMemRootDir();
    }
    boolean shared =
        fileRoot
            || c.kata().enableVhostUserStore()
            || c.kata().bootToBeTemplate()
            || c.live().sharedMemory();
    boolean prealloc = c.kata().memPrealloc() || (c.kata().hugePages() && fileRoot);
    String backend =
        !path.isEmpty() ? GuestMemory.FILE : shared ? GuestMemory.MEMFD : GuestMemory.RAM;
    return new GuestMemory(backend, path, shared, prealloc);
  }

  /**
   * The backend for this plan: always on pc and q35 (with {@code -numa node,memdev=dimm1}); on
   * microvm only when it is not plain RAM (then given to the machine as {@code memory-backend}).
   */
  static Optional<GuestMemory> backend(Plan p) {
    GuestMemory m = plan(p.c());
    boolean plain = m.backend().equals(GuestMemory.RAM) && !m.shared() && !m.prealloc();
    return p.machine().isPci() || !plain ? Optional.of(m) : Optional.empty();
  }

  static void append(Argv a, Plan p) {
    backend(p).ifPresent(m -> object(a, p, m));
    HypervisorConfig c = p.c();
    if (c.kata().realtime()) {
      a.add("-overcommit", "mem-lock=" + (c.kata().mlock() ? "on" : "off"));
    } else if (!c.kata().mlock()) {
      a.add("-overcommit", "mem-lock=off");
    }
  }

  private static void object(Argv a, Plan p, GuestMemory m) {
    Opts o =
        Opts.of(m.backend()).add("id", BACKEND_ID).add("size", p.c().kata().memorySize() + "M");
    o.addIf(!m.memPath().isEmpty(), "mem-path", m.memPath());
    o.addIf(m.shared(), "share", "on");
    o.addIf(m.prealloc(), "prealloc", "on");
    a.object(o);
    if (p.machine().isPci()) {
      a.add("-numa", "node,memdev=" + BACKEND_ID);
    }
  }
}
