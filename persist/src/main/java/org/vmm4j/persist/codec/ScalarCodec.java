package org.vmm4j.persist.codec;

import org.vmm4j.persist.codec.GoJsonException.Kind;
import tools.jackson.core.JsonToken;

/** Go strings, bools and integers (every integer type carried in a Java long). */
record ScalarCodec(Scalar scalar, GoType intType) implements Codec {

  enum Scalar {
    STRING,
    BOOL,
    INT
  }

  static final ScalarCodec STRING = new ScalarCodec(Scalar.STRING, GoType.NONE);
  static final ScalarCodec BOOL = new ScalarCodec(Scalar.BOOL, GoType.NONE);
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  static ScalarCodec integer(GoType type) {
    return new ScalarCodec(Scalar.INT, type);
  }

  @Override
  public Object read(JsonIn in) {
    JsonToken t = in.token();
    return switch (scalar) {
      case STRING -> {
        if (t != JsonToken.VALUE_STRING) {
          throw in.wrongType("a string");
        }
        yield replaceLoneSurrogates(in.text());
      }
      case BOOL -> {
        if (t == JsonToken.VALUE_TRUE) {
          yield Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
          yield Boolean.FALSE;
        }
        throw in.wrongType("a boolean");
      }
      case INT -> readInt(in, t);
    };
  }

  private Long readInt(JsonIn in, JsonToken t) {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw in.wrongType("an integer (Go " + intType.goName() + ")");
    }
    String text = in.text();
    Long v = intType.parse(text);
    if (v == null) {
      throw in.error(
          Kind.OUT_OF_RANGE,
          text,
          text + " is out of range for Go " + intType.goName() + " (" + intType.range() + ")");
    }
    return v;
  }

  /** Go's decoder turns an escaped lone surrogate into U+FFFD; so do we. */
  static String replaceLoneSurrogates(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return replaceFrom(s, i);
      }
    }
    return s;
  }

  private static String replaceFrom(String s, int from) {
    StringBuilder sb = new StringBuilder(s.length()).append(s, 0, from);
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return sb.toString();
  }

  @Override
  public void write(Object value, GoWriter out) {
    switch (scalar) {
      case STRING -> out.string((String) value);
      case BOOL -> out.raw((Boolean) value ? TRUE : FALSE);
      case INT -> {
        long v = (Long) value;
        if (!intType.holds(v)) {
          throw new EncodeFailure(
              Kind.OUT_OF_RANGE,
              Long.toString(v),
              v + " is out of range for Go " + intType.goName() + " (" + intType.range() + ")");
        }
        out.ascii(intType.format(v));
      }
    }
  }

  @Override
  public Object zero() {
    return switch (scalar) {
      case STRING -> "";
      case BOOL -> Boolean.FALSE;
      case INT -> 0L;
    };
  }

  @Override
  public boolean isEmpty(Object value) {
    return switch (scalar) {
      case STRING -> ((String) value).isEmpty();
      case BOOL -> !(Boolean) value;
      case INT -> (Long) value == 0L;
    };
  }

  @Override
  public String goName() {
    return switch (scalar) {
      case STRING -> "string";
      case BOOL -> "bool";
      case INT -> intType.goName();
    };
  }
}
