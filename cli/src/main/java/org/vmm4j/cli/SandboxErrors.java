package org.vmm4j.cli;

import org.vmm4j.core.ConfigException;
import org.vmm4j.core.InvalidRequestException;
import org.vmm4j.core.SandboxExistsException;
import org.vmm4j.core.SandboxNotFoundException;
import org.vmm4j.core.Vmm4jException;
import org.vmm4j.persist.Ids;
import org.vmm4j.persist.InvalidNameException;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.StateNotFoundException;
import org.vmm4j.qmp.QmpException;

/**
 * The CLI reference's exit codes for the sandbox commands: an invalid id, an invalid config or an
 * id already taken is bad input (2); an unknown sandbox, a failed start or stop, QEMU's refusal, a
 * refused plug, a store failure is a failed operation (1). The message keeps the operation and the
 * value.
 */
final class SandboxErrors {
  private SandboxErrors() {}

  /** Runs {@code work}, mapping vmm4j's exceptions; {@code op} prefixes messages that lack it. */
  static <T> T run(String op, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (InvalidNameException | ConfigException | SandboxExistsException e) {
      throw new CliException(Vmm4j.EXIT_BAD_INPUT, prefixed(op, e), e);
    } catch (SandboxNotFoundException | StateNotFoundException e) {
      throw CliException.failed(op + ": no such sandbox (" + e.getMessage() + ")", e);
    } catch (Vmm4jException e) {
      boolean input = e.getClass() == InvalidRequestException.class; // an invalid id or name
      throw new CliException(input ? Vmm4j.EXIT_BAD_INPUT : Vmm4j.EXIT_FAILED, prefixed(op, e), e);
    } catch (PersistException | QmpException e) {
      throw CliException.failed(prefixed(op, e), e);
    }
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
