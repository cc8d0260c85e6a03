package org.vmm4j.qmp;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link QmpClient} connects and how long it waits. Every wait has a deadline; the defaults
 * are the constants below, each overridable here and most per call.
 *
 * @param connectTimeout how long QEMU may take to accept a connection, and then to start serving it
 *     (the first bytes of its greeting, counted from the moment the socket connected: QEMU greets
 *     only the one client it serves on a socket); the rest of the greeting and the {@code
 *     qmp_capabilities} reply have {@code commandTimeout}
 * @param commandTimeout the default deadline of a command's reply
 * @param deviceDeletedTimeout how long {@link QmpClient#deviceDel(String)} waits for {@code
 *     DEVICE_DELETED}
 * @param maxMessageBytes a reply or event longer than this is a protocol error (the connection is
 *     closed), never an {@link OutOfMemoryError}
 * @param eventQueueCapacity the default capacity of an {@link EventSubscription}'s queue
 * @param oob negotiate QMP out-of-band execution when QEMU offers it (off by default: it only helps
 *     pipelining, and the client then keeps at most {@value #OOB_MAX_IN_FLIGHT} commands in flight)
 */
public record QmpOptions(
    Duration connectTimeout,
    Duration commandTimeout,
    Duration deviceDeletedTimeout,
    int maxMessageBytes,
    int eventQueueCapacity,
    boolean oob) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DEVICE_DELETED_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_EVENT_QUEUE_CAPACITY = 256;

  /** QEMU queues at most 8 in-band requests per session when OOB is on. */
  public static final int OOB_MAX_IN_FLIGHT = 8;

  public QmpOptions {
    positive(connectTimeout, "connectTimeout");
    positive(commandTimeout, "commandTimeout");
    positive(deviceDeletedTimeout, "deviceDeletedTimeout");
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes below 1024: " + maxMessageBytes);
    }
    if (eventQueueCapacity < 1) {
      throw new IllegalArgumentException("eventQueueCapacity below 1: " + eventQueueCapacity);
    }
  }

  /** The defaults. */
  public static QmpOptions defaults() {
    return new QmpOptions(
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_COMMAND_TIMEOUT,
        DEFAULT_DEVICE_DELETED_TIMEOUT,
        DEFAULT_MAX_MESSAGE_BYTES,
        DEFAULT_EVENT_QUEUE_CAPACITY,
        false);
  }

  public QmpOptions withConnectTimeout(Duration d) {
    return new QmpOptions(
        d, commandTimeout, deviceDeletedTimeout, maxMessageBytes, eventQueueCapacity, oob);
  }

  public QmpOptions withCommandTimeout(Duration d) {
    return new QmpOptions(
        connectTimeout, d, deviceDeletedTimeout, maxMessageBytes, eventQueueCapacity, oob);
  }

  public QmpOptions withDeviceDeletedTimeout(Duration d) {
    return new QmpOptions(
        connectTimeout, commandTimeout, d, maxMessageBytes, eventQueueCapacity, oob);
  }

  public QmpOptions withMaxMessageBytes(int bytes) {
    return new QmpOptions(
        connectTimeout, commandTimeout, deviceDeletedTimeout, bytes, eventQueueCapacity, oob);
  }

  public QmpOptions withEventQueueCapacity(int capacity) {
    return new QmpOptions(
        connectTimeout, commandTimeout, deviceDeletedTimeout, maxMessageBytes, capacity, oob);
  }

  public QmpOptions withOob(boolean enable) {
    return new QmpOptions(
        connectTimeout,
        commandTimeout,
        deviceDeletedTimeout,
        maxMessageBytes,
        eventQueueCapacity,
        enable);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
