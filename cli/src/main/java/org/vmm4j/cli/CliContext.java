package org.vmm4j.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.vmm4j.core.host.HostCheck;

/**
 * What commands reach beyond their arguments and the text streams: the raw standard streams and the
 * terminal ({@code console}), and the host check ({@code check}, {@code run}, {@code demo}). {@link
 * #system()} is the real process; tests give fakes.
 *
 * @param stdin standard input, unbuffered
 * @param stdout standard output as bytes (flush the command's text writer before writing to it)
 * @param terminal the terminal behind stdin
 * @param hostCheck a host check reporting probe progress (building the test guest) to the given
 *     consumer; the caller may still set the QEMU binary
 */
record CliContext(
    InputStream stdin,
    OutputStream stdout,
    Terminal terminal,
    Function<Consumer<String>, HostCheck.Builder> hostCheck) {
  CliContext {
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(hostCheck, "hostCheck");
  }

  /** This process: fd 0 and 1, stty, and the KVM probe that boots the test guest. */
  static CliContext system() {
    return new CliContext(
        new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out),
        new SttyTerminal(),
        progress -> HostCheck.builder().kvmProbe(new TestGuestKvmProbe(progress)));
  }
}
