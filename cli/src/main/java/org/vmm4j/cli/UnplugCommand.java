package org.vmm4j.cli;

import java.util.concurrent.Callable;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.persist.FsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vmm4j unplug ID DEVICE-ID} (docs/cli.md): exit 0 once the device is gone from QEMU and
 * from the state; 1 with what is true otherwise (e.g. QEMU still has it past the deadline: the
 * state is unchanged).
 */
@Command(
    name = "unplug",
    description = {
      "Unplug a device: a DeviceState ID, a vCPU (cpu-N), a memory device's QEMU id, a network"
          + " endpoint's name, as"
          + " 'vmm4j hotplug' printed it. Exit 0 once QEMU and the state no longer have it."
    })
final class UnplugCommand implements Callable<Integer> {
  @ParentCommand Vmm4j top;

  @Parameters(index = "0", paramLabel = "ID", description = "The sandbox id.")
  String id;

  @Parameters(index = "1", paramLabel = "DEVICE-ID", description = "The device.")
  String device;

  @Override
  public Integer call() {
    String op = "unplug " + id + " " + device;
    SandboxErrors.checkId(op, id);
    checkDevice(op);
    FsStore store = new FsStore(top.stateRoot());
    try (Sandbox s =
        SandboxErrors.run(op, () -> Sandbox.restore(store, id, SandboxOptions.defaults()))) {
      SandboxErrors.run(
          "sandbox " + id, // vmm4j's unplug errors name the sandbox and the device themselves
          () -> s.devices().unplug(device));
    }
    return Vmm4j.EXIT_OK;
  }

  /**
   * A device id as {@code vmm4j hotplug} prints them (DeviceState IDs, cpu-N, dimmmemN, interface
   * names): 1 to 128 characters, not . or .., no '/', white space or control characters.
   */
  private void checkDevice(String op) {
    boolean badChar = device.chars().anyMatch(c -> c == '/' || c <= ' ' || c == 127);
    if (device.isEmpty()
        || device.length() > 128
        || badChar
        || device.equals(".")
        || device.equals("..")) {
      throw CliException.badInput(
          "unplug "
              + id
              + ": invalid DEVICE-ID "
              + Errors.quoted(device)
              + ": 1 to 128 characters, no '/' or white space, as 'vmm4j hotplug' printed it");
    }
  }
}
