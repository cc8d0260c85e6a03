package org.vmm4j.network;

/**
 * The root of every error this module raises. The message names the operation and the object, then
 * the cause: {@code "RTM_NEWLINK veth tbveth0: File exists (EEXIST)"}; when the kernel adds an
 * extended-ack text it follows after a colon. Subtypes say what kind of failure it is, so callers
 * can react without parsing messages; {@link #errno()} keeps the raw value (0 when no errno was
 * involved, e.g. a deadline or a malformed reply).
 *
 * <p>Unchecked, like Jackson 3's exceptions: the network set-up code composes many small steps in
 * lambdas (namespace work, undo actions) where checked exceptions would only be rewrapped.
 */
public class NetlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String object;
  private final int errno;

  /**
   * @param operation what was attempted ({@code "RTM_NEWLINK"}, {@code "open"}, {@code "setns"})
   * @param object what it was attempted on ({@code "veth tbveth0"}, {@code "/dev/net/tun"})
   * @param detail why it failed ({@code "File exists (EEXIST)"})
   * @param errno the errno, or 0
   */
  public NetlinkException(String operation, String object, String detail, int errno) {
    this(operation, object, detail, errno, null);
  }

  public NetlinkException(
      String operation, String object, String detail, int errno, Throwable cause) {
    super(format(operation, object, detail), cause);
    this.operation = operation;
    this.object = object;
    this.errno = errno;
  }

  private static String format(String operation, String object, String detail) {
    String head = object == null || object.isEmpty() ? operation : operation + " " + object;
    return head + ": " + detail;
  }

  /** The operation that failed, e.g. {@code RTM_NEWQDISC}. */
  public String operation() {
    return operation;
  }

  /** The object it failed on, e.g. {@code ingress dev tbveth0}. */
  public String object() {
    return object;
  }

  /** The errno, or 0 when the failure was not reported by an errno. */
  public int errno() {
    return errno;
  }

  /** EEXIST: a link, address, route, qdisc or file of that name or key is already there. */
  public static final class Exists extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public Exists(String operation, String object, String detail, int errno) {
      super(operation, object, detail, errno);
    }
  }

  /** ENOENT, ENODEV, ESRCH, ENXIO, EADDRNOTAVAIL: the object is not there. */
  public static final class NotFound extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public NotFound(String operation, String object, String detail, int errno) {
      super(operation, object, detail, errno);
    }
  }

  /** EPERM, EACCES: the caller lacks a capability (usually CAP_NET_ADMIN or CAP_SYS_ADMIN). */
  public static final class PermissionDenied extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public PermissionDenied(String operation, String object, String detail, int errno) {
      super(operation, object, detail, errno);
    }
  }

  /** EBUSY: the object is in use (an interface index taken, a device held by someone else). */
  public static final class Busy extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public Busy(String operation, String object, String detail, int errno) {
      super(operation, object, detail, errno);
    }
  }

  /** EINVAL, ERANGE, E2BIG: the kernel refused the request's content. */
  public static final class InvalidArgument extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public InvalidArgument(String operation, String object, String detail, int errno) {
      super(operation, object, detail, errno);
    }
  }

  /** EOPNOTSUPP, EPROTONOSUPPORT, EAFNOSUPPORT, ENOSYS: this kernel cannot do it. */
  public static final class Unsupported extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public Unsupported(String operation, String object, String detail, int errno) {
      super(operation, object, detail, errno);
    }
  }

  /** A deadline passed: no reply from the kernel, or namespace work still running. */
  public static final class Timeout extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public Timeout(String operation, String object, String detail) {
      super(operation, object, detail, 0);
    }
  }
}
