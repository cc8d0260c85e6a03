package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** errno values become typed exceptions whose message names the operation and the object. */
class ErrnoTest {

  @ParameterizedTest
  @CsvSource({
    "17, Exists, File exists (EEXIST)",
    "2, NotFound, No such file or directory (ENOENT)",
    "19, NotFound, No such device (ENODEV)",
    "3, NotFound, No such process (ESRCH)",
    "6, NotFound, No such device or address (ENXIO)",
    "99, NotFound, Cannot assign requested address (EADDRNOTAVAIL)",
    "1, PermissionDenied, Operation not permitted (EPERM)",
    "13, PermissionDenied, Permission denied (EACCES)",
    "16, Busy, Device or resource busy (EBUSY)",
    "22, InvalidArgument, Invalid argument (EINVAL)",
    "34, InvalidArgument, Numerical result out of range (ERANGE)",
    "95, Unsupported, Operation not supported (EOPNOTSUPP)",
    "93, Unsupported, Protocol not supported (EPROTONOSUPPORT)",
    "38, Unsupported, Function not implemented (ENOSYS)",
    "105, NetlinkException, No buffer space available (ENOBUFS)",
    "200, NetlinkException, Unknown error 200 (errno 200)",
  })
  void mapsToTypeAndText(int errno, String type, String text) {
    NetlinkException e = Errno.exception(errno, "RTM_NEWLINK", "veth tbveth0");
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e).hasMessage("RTM_NEWLINK veth tbveth0: " + text);
    assertThat(e.errno()).isEqualTo(errno);
    assertThat(e.operation()).isEqualTo("RTM_NEWLINK");
    assertThat(e.object()).isEqualTo("veth tbveth0");
  }

  @ParameterizedTest
  @CsvSource({"Unknown device type", "''"})
  void anExtendedAckIsAppendedWhenThere(String ext) {
    NetlinkException e = Errno.exception(95, "RTM_NEWLINK", "dummy x", ext);
    assertThat(e.getMessage())
        .isEqualTo(
            "RTM_NEWLINK dummy x: Operation not supported (EOPNOTSUPP)"
                + (ext.isEmpty() ? "" : ": " + ext));
  }
}
