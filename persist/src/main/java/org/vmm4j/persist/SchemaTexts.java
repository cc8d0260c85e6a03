package org.vmm4j.persist;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.vmm4j.persist.codec.GoText;

/**
 * How the schema's value types are written in JSON, for the codec: each is one string, except the
 * nil PCI path ({@code {}}, as Kata's Go code writes every path) and the nil mask ({@code null}).
 */
final class SchemaTexts {
  /** Every mapping, for {@link org.vmm4j.persist.codec.GoJson}. */
  static final List<GoText<?>> ALL =
      List.of(new TimeText(), new PciPathText(), new NetIpText(), new IpMaskText());

  private SchemaTexts() {}

  /** Go's {@code time.Time}: an RFC 3339 string (see {@link GoTime}). */
  private record TimeText() implements GoText<OffsetDateTime> {
    @Override
    public Class<OffsetDateTime> type() {
      return OffsetDateTime.class;
    }

    @Override
    public String goName() {
      return "time.Time";
    }

    @Override
    public String expected() {
      return "an RFC 3339 time string (Go time.Time)";
    }

    @Override
    public OffsetDateTime zero() {
      return GoTime.ZERO;
    }

    @Override
    public ZeroForm zeroForm() {
      return ZeroForm.TEXT;
    }

    @Override
    public OffsetDateTime parse(String text) {
      try {
        return GoTime.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad time: " + e.getMessage(), e);
      }
    }

    @Override
    public String format(OffsetDateTime value) {
      return GoTime.format(value);
    }

    @Override
    public boolean isEmpty(OffsetDateTime value) {
      return false; // a struct: omitempty never drops it
    }
  }

  /**
   * {@link PciPath}: a known path is its string ({@code "02/03"}), the nil path is {@code {}}; both
   * are read. The string must be in canonical form; {@code ""} is refused (the nil path is {@code
   * {}}).
   */
  private record PciPathText() implements GoText<PciPath> {
    @Override
    public Class<PciPath> type() {
      return PciPath.class;
    }

    @Override
    public String goName() {
      return "PciPath";
    }

    @Override
    public String expected() {
      return "a PCI path (\"02/03\", or {} when unknown)";
    }

    @Override
    public PciPath zero() {
      return PciPath.NIL;
    }

    @Override
    public ZeroForm zeroForm() {
      return ZeroForm.EMPTY_OBJECT;
    }

    @Override
    public PciPath parse(String text) {
      if (text.isEmpty()) {
        throw new IllegalArgumentException("empty PCI path: an unknown path is written {}");
      }
      try {
        return PciPath.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad " + e.getMessage(), e);
      }
    }

    @Override
    public String format(PciPath value) {
      return value.toString();
    }

    @Override
    public boolean isEmpty(PciPath value) {
      return false; // a struct in Go
    }
  }

  /** Go's {@code net.IP}: its text, {@code ""} for nil. */
  private record NetIpText() implements GoText<NetIp> {
    @Override
    public Class<NetIp> type() {
      return NetIp.class;
    }

    @Override
    public String goName() {
      return "net.IP";
    }

    @Override
    public String expected() {
      return "an IP address string (Go net.IP)";
    }

    @Override
    public NetIp zero() {
      return NetIp.NIL;
    }

    @Override
    public ZeroForm zeroForm() {
      return ZeroForm.TEXT;
    }

    @Override
    public NetIp parse(String text) {
      return NetIp.parse(text);
    }

    @Override
    public String format(NetIp value) {
      return value.toString();
    }

    @Override
    public boolean isEmpty(NetIp value) {
      return value.isNil();
    }
  }

  /** Go's {@code net.IPMask} ({@code []byte}): base64, null for nil (a null reference). */
  private record IpMaskText() implements GoText<IpMask> {
    @Override
    public Class<IpMask> type() {
      return IpMask.class;
    }

    @Override
    public String goName() {
      return "net.IPMask";
    }

    @Override
    public String expected() {
      return "a base64 string (Go net.IPMask)";
    }

    @Override
    public IpMask zero() {
      return null;
    }

    @Override
    public ZeroForm zeroForm() {
      return ZeroForm.NULL;
    }

    @Override
    public IpMask parse(String text) {
      try {
        if (text.length() % 4 != 0) {
          throw new IllegalArgumentException("padding missing (Go's StdEncoding requires it)");
        }
        return IpMask.of(Base64.getDecoder().decode(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad base64 mask: " + e.getMessage(), e);
      }
    }

    @Override
    public String format(IpMask value) {
      return Base64.getEncoder().encodeToString(value.bytes());
    }

    @Override
    public boolean isEmpty(IpMask value) {
      return value == null || value.bytes().length == 0;
    }
  }
}
