package org.vmm4j.testing.qmp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link FakeQmpServer} does when a command arrives: a list of steps run in order (events,
 * delays, the reply, garbage, a disconnect). A response without any reply-like step replies {@code
 * {}} after its other steps; {@link #noReply()} keeps it silent.
 *
 * <p>{@link #next()} starts the response to the following call of the same command; the last
 * response repeats: {@code fake.on("device_add").reply("{}").next().error("GenericError", "..")}
 * accepts the first device_add and refuses every later one.
 *
 * <p>When several scripts match a command, the one registered last wins, so a test can override a
 * default set up in {@code @BeforeEach}, or add one for particular arguments ({@link
 * FakeQmpServer#on(String, Predicate)}).
 */
public final class FakeQmpScript {
  /** One thing the server does. */
  sealed interface Step {}

  record Send(Function<ReceivedQmpCommand, String> line, boolean replies) implements Step {}

  record Sleep(Duration duration) implements Step {}

  record Hangup() implements Step {}

  /** The steps answering one call. */
  private static final class Response {
    final List<Step> steps = new ArrayList<>();
    boolean silent;
  }

  final String command;
  final Predicate<ReceivedQmpCommand> when;
  private final List<Response> responses = new ArrayList<>(List.of(new Response()));
  private int uses;

  FakeQmpScript(String command, Predicate<ReceivedQmpCommand> when) {
    this.command = command;
    this.when = when;
  }

  /** The steps that follow answer the next call of the command (the last response repeats). */
  public FakeQmpScript next() {
    responses.add(new Response());
    return this;
  }

  /** Replies {@code {"return":VALUE,"id":ID}}; {@code json} is the value, e.g. {@code {}}. */
  public FakeQmpScript reply(String json) {
    return reply(FakeQmpMessages.json(json));
  }

  public FakeQmpScript reply(JsonNode value) {
    return send(c -> FakeQmpMessages.reply(value, c.id()), true);
  }

  /**
   * Replies with a value computed from the received command. A {@link FakeQmpError} thrown by
   * {@code value} is replied as an error instead, and the rest of this response is skipped.
   */
  public FakeQmpScript answer(Function<ReceivedQmpCommand, JsonNode> value) {
    return send(c -> FakeQmpMessages.reply(value.apply(c), c.id()), true);
  }

  /** Replies {@code {"error":{"class":CLASS,"desc":DESC},"id":ID}}. */
  public FakeQmpScript error(String errorClass, String desc) {
    return send(c -> FakeQmpMessages.error(errorClass, desc, c.id()), true);
  }

  /** Sends an event (timestamped now); {@code dataJson} may be null. */
  public FakeQmpScript event(String name, String dataJson) {
    String line = FakeQmpMessages.event(name, dataJson);
    return send(c -> line, false);
  }

  /** Sends an event whose data is computed from the received command. */
  public FakeQmpScript eventFor(String name, Function<ReceivedQmpCommand, JsonNode> data) {
    return send(
        c -> FakeQmpMessages.event(name, FakeQmpMessages.MAPPER.writeValueAsString(data.apply(c))),
        false);
  }

  /**
   * What QEMU does for a {@code device_del} of a virtio device that goes away: {@code {}}, then
   * {@code DEVICE_DELETED} for the {@code virtio-backend} child (path only), then {@code
   * DEVICE_DELETED} for the device named by the command's {@code id} argument.
   */
  public FakeQmpScript replyThenDeviceDeleted() {
    return reply("{}").deviceDeleted();
  }

  /** The two {@code DEVICE_DELETED} events of a virtio device whose id the command names. */
  public FakeQmpScript deviceDeleted() {
    return eventFor(
            "DEVICE_DELETED",
            c ->
                FakeQmpMessages.MAPPER
                    .createObjectNode()
                    .put("path", "/machine/peripheral/" + c.arg("id") + "/virtio-backend"))
        .eventFor(
            "DEVICE_DELETED",
            c ->
                FakeQmpMessages.MAPPER
                    .createObjectNode()
                    .put("device", c.arg("id"))
                    .put("path", "/machine/peripheral/" + c.arg("id")));
  }

  /** The usual device_del answer: {@code {}}, then the event. */
  public FakeQmpScript replyThenEvent(String json, String event, String dataJson) {
    return reply(json).event(event, dataJson);
  }

  /** An event first (as QEMU does for {@code cont}/{@code stop}), then the reply. */
  public FakeQmpScript eventThenReply(String event, String dataJson, String json) {
    return event(event, dataJson).reply(json);
  }

  /** Waits before the next step (the server handles one command at a time, as QEMU does). */
  public FakeQmpScript delay(Duration duration) {
    current().steps.add(new Sleep(duration));
    return this;
  }

  /** Sends {@code line} as it is (garbage, a malformed reply, a reply with any id...). */
  public FakeQmpScript raw(String line) {
    return send(c -> line, true);
  }

  /** A reply without an id. */
  public FakeQmpScript replyWithoutId(String json) {
    return send(c -> FakeQmpMessages.reply(FakeQmpMessages.json(json), null), true);
  }

  /** An error without an id, as QEMU sends when its JSON parser rejects input. */
  public FakeQmpScript errorWithoutId(String errorClass, String desc) {
    return send(c -> FakeQmpMessages.error(errorClass, desc, null), true);
  }

  /** A reply with the given id instead of the command's. */
  public FakeQmpScript replyWithId(String idJson, String json) {
    JsonNode id = FakeQmpMessages.json(idJson);
    return send(c -> FakeQmpMessages.reply(FakeQmpMessages.json(json), id), true);
  }

  /** A reply whose return value is a string making the whole line about {@code bytes} long. */
  public FakeQmpScript hugeReply(int bytes) {
    return send(c -> FakeQmpMessages.reply(FakeQmpMessages.hugeString(bytes), c.id()), true);
  }

  /** Closes the client's connection. */
  public FakeQmpScript disconnect() {
    current().steps.add(new Hangup());
    return this;
  }

  /** Never replies. */
  public FakeQmpScript noReply() {
    current().silent = true;
    return this;
  }

  private FakeQmpScript send(Function<ReceivedQmpCommand, String> line, boolean replies) {
    current().steps.add(new Send(line, replies));
    return this;
  }

  private Response current() {
    return responses.get(responses.size() - 1);
  }

  /** The steps answering this call, with the default {@code {}} reply when a response has none. */
  synchronized List<Step> stepsForNextCall() {
    Response r = responses.get(Math.min(uses++, responses.size() - 1));
    boolean replies =
        r.steps.stream().anyMatch(s -> s instanceof Hangup || s instanceof Send x && x.replies());
    if (replies || r.silent) {
      return List.copyOf(r.steps);
    }
    List<Step> all = new ArrayList<>(r.steps);
    ObjectNode empty = FakeQmpMessages.MAPPER.createObjectNode();
    all.add(new Send(c -> FakeQmpMessages.reply(empty, c.id()), true));
    return all;
  }
}
