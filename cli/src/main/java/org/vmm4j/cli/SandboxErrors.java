package org.vmm4j.cli;

import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.DiskInUseException;
import org.vmm4j.core.api.InvalidRequestException;
import org.vmm4j.core.api.SandboxExistsException;
import org.vmm4j.core.api.SandboxNotFoundException;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.Ids;
import org.vmm4j.persist.InvalidNameException;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.StateNotFoundException;
import org.vmm4j.persist.UnsafePathException;
import org.vmm4j.qmp.QmpException;

/**
 * The CLI reference's exit codes for the sandbox commands: an invalid id, an invalid config, an id
 * already taken, a state root the store refuses to use (a symbolic link it did not make, a
 * directory of another user or writable by others: {@link UnsafePathException}, also when a failed
 * start wraps it) or a disk another sandbox has, plugged read-write without {@code --share-rw}
 * ({@link DiskInUseException}) is bad input (2); an unknown sandbox, a failed start or stop, QEMU's
 * refusal, a refused plug, a store failure is a failed operation (1). The message keeps the
 * operation and the value.
 */
final class SandboxErrors {
  private SandboxErrors() {}

  /** Runs {@code work}, mapping vmm4j's exceptions; {@code op} prefixes messages that lack it. */
  static <T> T run(String op, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (InvalidNameException
        | ConfigException
        | SandboxExistsException
        | UnsafePathException e) {
      throw new CliException(Vmm4j.EXIT_BAD_INPUT, prefixed(op, e), e);
    } catch (SandboxNotFoundException | StateNotFoundException e) {
      throw CliException.failed(op + ": no such sandbox (" + e.getMessage() + ")", e);
    } catch (Vmm4jException e) {
      // an invalid id or name is a plain InvalidRequestException; a refused plug is not bad input,
      // except a disk another sandbox has, asked for read-write without --share-rw
      boolean input =
          e.getClass() == InvalidRequestException.class
              || e instanceof DiskInUseException
              || refusedPath(e);
      throw new CliException(input ? Vmm4j.EXIT_BAD_INPUT : Vmm4j.EXIT_FAILED, prefixed(op, e), e);
    } catch (PersistException | QmpException e) {
      int code = refusedPath(e) ? Vmm4j.EXIT_BAD_INPUT : Vmm4j.EXIT_FAILED;
      throw new CliException(code, prefixed(op, e), e);
    }
  }

  /** Whether {@code t} or one of its causes is the store's refusal of a path. */
  static boolean refusedPath(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UnsafePathException) {
        return true;
      }
    }
    return false;
  }

  /** The sandbox id, checked: an invalid one is bad input (exit 2) naming {@code op}. */
  static String checkId(String op, String id) {
    return run(op, () -> Ids.checkSandboxId(id));
  }

  private static String prefixed(String op, RuntimeException e) {
    String m = Errors.describe(e);
    return m.startsWith(op) ? m : op + ": " + m;
  }
}
