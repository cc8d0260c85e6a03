package org.vmm4j.core.internal.annotations;

/**
 * Why one annotation is refused: the rule it breaks, without the annotation's name (the caller
 * prefixes {@code annotation KEY=VALUE: }). Control flow inside this package only; it leaves as a
 * {@link org.vmm4j.core.api.ConfigException}.
 */
final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Refusal(String reason) {
    super(reason, null, false, false);
  }

  Refusal(String reason, Throwable cause) {
    super(reason, cause, false, false);
  }

  String reason() {
    return getMessage();
  }
}
