package org.vmm4j.testing.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A "kernel" that halts: {@link TestAssets}'s minimal bzImage header whose setup code (entered at
 * offset 0x200, a short jump to 0x268) is {@code cli; hlt; jmp .-2}. A sandbox booted with it runs
 * (QEMU's status {@code running}) with no guest operating system: nothing answers ACPI hotplug, and
 * with native PCIe hotplug a never-powered root port releases a device at once. For tests and
 * benchmarks of the controller side without a guest.
 */
public final class HaltKernel {
  private HaltKernel() {}

  /** Writes it to {@code file}. */
  public static Path write(Path file) {
    byte[] b = TestAssets.bzImageHeader();
    b[0x200] = (byte) 0xEB; // jmp short
    b[0x201] = (byte) 0x66; // to 0x268
    b[0x268] = (byte) 0xFA; // cli
    b[0x269] = (byte) 0xF4; // hlt
    b[0x26A] = (byte) 0xEB; // jmp
    b[0x26B] = (byte) 0xFD; // back to hlt
    try {
      return Files.write(file, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
