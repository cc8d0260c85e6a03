package org.vmm4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;
import org.vmm4j.persist.InvalidNameException;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.PersistedState;
import org.vmm4j.persist.StateFormatException;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.persist.UnsafePathException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmm4j state ID [--container CID]} and {@code vmm4j state --file PATH}: a persisted state
 * in canonical encoding (Go's, byte for byte; docs/cli.md).
 */
@Command(
    name = "state",
    description = {
      "Print a sandbox's persisted state (or one container's) in canonical encoding.",
      "With --file, check any persist.json (sandbox or container, detected: a document with only"
          + " State/CgroupPath keys reads as a sandbox) and print it canonically; exit 2 with the"
          + " JSON path of the problem when it is invalid, not a regular file, or larger than"
          + " 16 MiB."
    })
final class StateCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The sandbox id.")
  String id;

  @Option(names = "--container", paramLabel = "CID", description = "Print this container's state.")
  String container;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "Read this file instead of the store.")
  Path file;

  @Override
  public Integer call() {
    if ((id == null) == (file == null)) {
      throw CliException.badInput("give a sandbox ID or --file PATH (one of them)");
    }
    if (file != null && container != null) {
      throw CliException.badInput("--container goes with a sandbox ID, not with --file " + file);
    }
    byte[] canonical = file != null ? fromFile(file) : fromStore(top.stateRoot());
    PrintWriter out = spec.commandLine().getOut();
    out.print(new String(canonical, UTF_8));
    out.flush();
    return Vmm4j.EXIT_OK;
  }

  private static byte[] fromFile(Path file) {
    byte[] bytes;
    try {
      bytes = InputFiles.read(file, FsStore.MAX_STATE_BYTES, FsStore.STATE_FILE_WHAT);
    } catch (NoSuchFileException e) {
      throw CliException.badInput(file + ": no such file");
    } catch (InputFileException e) {
      throw CliException.badInput(e.getMessage());
    } catch (IOException e) {
      throw CliException.badInput(file + ": " + e.getMessage());
    }
    try {
      PersistedState state = PersistCodec.decodeDetected(bytes, file.toString());
      return PersistCodec.encode(state);
    } catch (StateFormatException e) {
      throw CliException.badInput(e.getMessage());
    }
  }

  private byte[] fromStore(Path root) {
    try {
      StoredSandbox stored = new FsStore(root).load(id);
      if (container == null) {
        return PersistCodec.encode(stored.sandbox());
      }
      ContainerState c = stored.containers().get(container);
      if (c == null) {
        throw CliException.failed("sandbox " + id + " has no container " + container, null);
      }
      return PersistCodec.encode(c);
    } catch (InvalidNameException | UnsafePathException e) {
      throw CliException.badInput(e.getMessage());
    } catch (PersistException e) {
      throw CliException.failed(e.getMessage(), e);
    }
  }
}
