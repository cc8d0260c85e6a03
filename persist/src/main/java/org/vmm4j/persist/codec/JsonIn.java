package org.vmm4j.persist.codec;

import java.util.Arrays;
import org.vmm4j.persist.codec.GoJsonException.Kind;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;

/**
 * The strict reader's cursor: Jackson's streaming parser plus the JSON path of the current value,
 * so that every error names where it is.
 */
final class JsonIn {
  private static final int MAX_VALUE_TEXT = 80;

  private final JsonParser parser;
  private final String source;
  private Object[] path = new Object[32];
  private int depth;
  private JsonToken token;

  /** A map key in the path, printed as {@code ["key"]}. */
  private record MapKey(String key) {}

  JsonIn(JsonParser parser, String source) {
    this.parser = parser;
    this.source = source;
  }

  JsonToken next() {
    token = parser.nextToken();
    return token;
  }

  /** The next token inside a value: the end of the input here is a syntax error. */
  JsonToken advance() {
    if (next() == null) {
      throw error(Kind.SYNTAX, null, "malformed JSON: unexpected end of input (truncated?)");
    }
    return token;
  }

  JsonToken token() {
    return token;
  }

  String name() {
    return parser.currentName();
  }

  void skipChildren() {
    parser.skipChildren();
  }

  String text() {
    return parser.getString();
  }

  void pushField(String key) {
    push(key);
  }

  void pushMapKey(String key) {
    push(new MapKey(key));
  }

  void pushIndex(int index) {
    push(index);
  }

  void pop() {
    path[--depth] = null;
  }

  private void push(Object segment) {
    if (depth == path.length) {
      path = Arrays.copyOf(path, depth * 2);
    }
    path[depth++] = segment;
  }

  String path() {
    StringBuilder sb = new StringBuilder("$");
    for (int i = 0; i < depth; i++) {
      Object s = path[i];
      if (s instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else if (s instanceof MapKey k) {
        sb.append('[').append(quote(k.key())).append(']');
      } else {
        sb.append('.').append(s);
      }
    }
    return sb.toString();
  }

  GoJsonException error(Kind kind, String value, String problem) {
    return new GoJsonException(kind, source, path(), value, problem);
  }

  /** The current value is not of the expected JSON type. */
  GoJsonException wrongType(String expected) {
    if (token == JsonToken.VALUE_NULL) {
      return error(Kind.NULL_VALUE, "null", "null is not allowed here: expected " + expected);
    }
    String found = describe();
    return error(Kind.WRONG_TYPE, valueText(), "expected " + expected + ", found " + found);
  }

  /** The current token as it appears in the document (strings quoted), for messages. */
  String valueText() {
    if (token == null) {
      return "";
    }
    return switch (token) {
      case START_OBJECT -> "{";
      case START_ARRAY -> "[";
      case VALUE_STRING -> quote(text());
      default -> truncate(parser.getString());
    };
  }

  private String describe() {
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "string " + valueText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + valueText();
      case VALUE_TRUE, VALUE_FALSE -> "boolean " + valueText();
      default -> valueText();
    };
  }

  /** Jackson's own syntax error, with our path and its location. */
  GoJsonException syntax(JacksonException e) {
    String msg = e.getOriginalMessage();
    if (msg == null) {
      msg = e.getClass().getSimpleName();
    }
    int nl = msg.indexOf('\n');
    if (nl >= 0) {
      msg = msg.substring(0, nl);
    }
    TokenStreamLocation loc = e.getLocation();
    String where =
        loc == null || loc == TokenStreamLocation.NA
            ? ""
            : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
    String at = path();
    if (parser.currentToken() == JsonToken.PROPERTY_NAME && parser.currentName() != null) {
      at += "." + parser.currentName(); // Jackson failed on the value right after reading its key
    }
    return new GoJsonException(
        Kind.SYNTAX, source, at, null, "malformed JSON" + where + ": " + truncate(msg));
  }

  static String quote(String s) {
    GoWriter w = new GoWriter(s.length() + 2);
    w.string(s.length() > MAX_VALUE_TEXT ? s.substring(0, MAX_VALUE_TEXT) + "..." : s);
    return new String(w.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String truncate(String s) {
    return s.length() > MAX_VALUE_TEXT ? s.substring(0, MAX_VALUE_TEXT) + "..." : s;
  }
}
