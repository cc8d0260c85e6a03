package org.vmm4j.qmp;

import java.time.Duration;
import java.util.concurrent.CompletionException;

/** Turns a reply (or its failure) into a call's typed result or exception. */
final class Calls {
  private static final int SNIPPET = 200;

  private Calls() {}

  static QmpTimeoutException timeout(Command<?> command, Duration timeout) {
    return new QmpTimeoutException(
        CommandText.describe(command) + ": no reply within " + Durations.format(timeout), timeout);
  }

  /** The result of a reply, or the exception of an error reply. */
  static <R> R result(Command<R> command, Message reply) {
    if (reply instanceof Message.Return r) {
      try {
        return command.result(r.value());
      } catch (RuntimeException e) {
        String json = Json.compact(r.value());
        throw new QmpProtocolException(
            CommandText.describe(command)
                + ": unexpected reply ("
                + e.getMessage()
                + "): "
                + (json.length() > SNIPPET ? json.substring(0, SNIPPET) + "..." : json),
            e);
      }
    }
    if (reply instanceof Message.Error e) {
      throw new QmpCommandException(command, e.errorClass(), e.desc());
    }
    throw new AssertionError(reply);
  }

  /** For asynchronous calls: the result, or the failure rethrown as a {@link QmpException}. */
  static <R> R result(Command<R> command, Message reply, Throwable failure) {
    if (failure != null) {
      throw failure(command, failure);
    }
    return result(command, reply);
  }

  /** A failure of the reply future, reported for {@code command} on the calling thread. */
  static QmpException failure(Command<?> command, Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof QmpDisconnectedException d) {
      return d.forOperation(CommandText.describe(command));
    }
    if (t instanceof QmpException q) {
      return q;
    }
    return new QmpProtocolException(CommandText.describe(command) + ": " + t, t);
  }
}
