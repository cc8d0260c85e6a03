package org.vmm4j.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One entry of {@code query-fdsets}. */
public record FdsetInfo(@JsonProperty("fdset-id") int fdsetId, List<Fd> fds) {
  public FdsetInfo {
    fds = fds == null ? List.of() : List.copyOf(fds);
  }

  /** A descriptor in the set; {@code opaque} is null when none was given. */
  public record Fd(int fd, String opaque) {}
}
