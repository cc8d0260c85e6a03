package org.vmm4j.persist.codec;

import java.util.ArrayList;
import java.util.List;
import org.vmm4j.persist.codec.GoJsonException.Kind;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Encodes schema records exactly as Go's {@code json.NewEncoder(w).Encode(v)} does (one trailing
 * newline) and decodes them strictly; every problem is a {@link GoJsonException}. Not API: {@code
 * org.vmm4j.persist.PersistCodec} is.
 */
public final class GoJson {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private final Codecs codecs;

  /**
   * A codec for records whose components are Go's built-in kinds, records, and the given types.
   *
   * @throws IllegalArgumentException when two mappings have the same Java type
   */
  public GoJson(List<GoText<?>> textTypes) {
    this.codecs = new Codecs(textTypes);
  }

  /** The Go encoding of a schema record, with Go's trailing newline. */
  public byte[] encode(Record value) {
    StructCodec codec = codecs.struct(value.getClass());
    GoWriter out = new GoWriter(4096);
    try {
      codec.write(value, out);
    } catch (EncodeFailure f) {
      throw f.toException("encode " + codec.goName());
    }
    out.raw('\n');
    return out.toByteArray();
  }

  /** Decodes one schema record. */
  public <T extends Record> T decode(Class<T> type, byte[] json, String source) {
    StructCodec codec = codecs.struct(type);
    return type.cast(parse(json, source, true, codec::read));
  }

  /**
   * The keys of the top-level object in document order, up to and including the first one {@code
   * stop} accepts (empty when the document is not an object). Reads no further than that key.
   */
  public List<String> topLevelKeys(
      byte[] json, String source, java.util.function.Predicate<String> stop) {
    return parse(
        json,
        source,
        false,
        in -> {
          List<String> keys = new ArrayList<>();
          if (in.token() != JsonToken.START_OBJECT) {
            return keys;
          }
          while (in.next() == JsonToken.PROPERTY_NAME) {
            keys.add(in.name());
            if (stop.test(in.name())) {
              break;
            }
            in.next();
            in.skipChildren();
          }
          return keys;
        });
  }

  /** The JSON keys of a schema record in Go's order (embedded fields inline). */
  public List<String> keys(Class<? extends Record> type) {
    return codecs.struct(type).keys();
  }

  private interface Body<T> {
    T read(JsonIn in);
  }

  private static <T> T parse(byte[] json, String source, boolean whole, Body<T> body) {
    checkEncoding(json, source);
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      JsonIn in = new JsonIn(p, source);
      try {
        if (in.next() == null) {
          throw in.error(Kind.SYNTAX, null, "no JSON value (empty document)");
        }
        T result = body.read(in);
        if (whole && in.next() != null) {
          throw in.error(Kind.SYNTAX, in.valueText(), "data after the top-level JSON value");
        }
        return result;
      } catch (JacksonException e) {
        throw in.syntax(e);
      }
    }
  }

  /** Jackson would accept UTF-16/32 and a byte order mark; Go accepts only UTF-8 without one. */
  private static void checkEncoding(byte[] json, String source) {
    boolean bom = json.length >= 3 && (json[0] & 0xff) == 0xef && (json[1] & 0xff) == 0xbb;
    boolean nul = false;
    for (int i = 0; i < Math.min(4, json.length); i++) {
      nul |= json[i] == 0 || (json[i] & 0xff) == 0xfe || (json[i] & 0xff) == 0xff;
    }
    if (bom || nul) {
      throw new GoJsonException(
          Kind.SYNTAX, source, "$", null, "malformed JSON: not UTF-8 without a byte order mark");
    }
  }
}
