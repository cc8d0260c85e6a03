package org.vmm4j.core;

import java.util.List;
import java.util.stream.Collectors;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.testing.qemu.TestAssets;

/** Renders a {@link QemuCommandLine} as a golden file, with the test directory as {@code @DIR@}. */
public final class GoldenRendering {
  private GoldenRendering() {}

  public static String render(QemuCommandLine cmd, TestAssets assets) {
    StringBuilder sb = new StringBuilder();
    section(sb, "argv", cmd.argv());
    sb.append("# accelerator ").append(cmd.accelerator().wireName()).append('\n');
    section(
        sb,
        "bridges",
        cmd.bridges().stream()
            .map(b -> b.type().kataType() + " " + b.id() + " addr=" + b.addr())
            .collect(Collectors.toList()));
    sb.append("# agent\n").append(cmd.agent()).append('\n');
    section(sb, "pre-cont", cmd.preContSteps().stream().map(Object::toString).toList());
    cmd.virtiofsd().ifPresent(v -> section(sb, "virtiofsd", v.argv()));
    sb.append("# memory\n").append(cmd.memory().map(Object::toString).orElse("-")).append('\n');
    sb.append("# nvdimms ").append(cmd.nvdimmCount()).append('\n');
    return sb.toString().replace(assets.root().toString(), "@DIR@");
  }

  private static void section(StringBuilder sb, String name, List<String> lines) {
    sb.append("# ").append(name).append('\n');
    lines.forEach(l -> sb.append(l).append('\n'));
  }
}
