package org.vmm4j.testing.qmp;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A command {@link FakeQmpServer} received, parsed.
 *
 * @param name the {@code execute} member
 * @param arguments the {@code arguments} object (empty when there were none)
 * @param id the {@code id} member as sent, or null
 * @param line the line exactly as received (without its newline)
 * @param fds the descriptors that arrived with it (SCM_RIGHTS); owned by the server, closed by
 *     {@link FakeQmpServer#close()}
 */
public record ReceivedQmpCommand(
    String name, ObjectNode arguments, JsonNode id, String line, List<FileDescriptor> fds) {

  public ReceivedQmpCommand {
    fds = List.copyOf(fds);
  }

  /** A string argument, or null. */
  public String arg(String member) {
    return arguments.path(member).stringValue(null);
  }

  /**
   * What the {@code i}-th received descriptor refers to, as {@code /proc/self/fd} shows it (e.g.
   * {@code pipe:[1234]} or a file path): compare with the sender's descriptor.
   */
  public String fdTarget(int i) {
    return describeFd(fds.get(i));
  }

  /** {@code /proc/self/fd} target of a descriptor of this process. */
  public static String describeFd(FileDescriptor fd) {
    try {
      int n = FileDescriptorCast.using(fd).as(Integer.class);
      return Files.readSymbolicLink(Path.of("/proc/self/fd/" + n)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ReceivedQmpCommand parse(JsonNode msg, String line, List<FileDescriptor> fds) {
    JsonNode args = msg.get("arguments");
    return new ReceivedQmpCommand(
        msg.path("execute").asString(""),
        args instanceof ObjectNode o ? o : FakeQmpMessages.MAPPER.createObjectNode(),
        msg.get("id"),
        line,
        fds);
  }
}
