package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.devices.Placement;

/**
 * The rules of a rollback ({@link UndoLog}, {@link Tx#rollback}): newest first; quiet undos (the
 * model's bookkeeping) run but are not named; a refusal with only quiet undos passes unchanged; the
 * first failing undo stops the rollback, and the exception names it and every older named undo as
 * left in place.
 */
class UndoLogTest {
  static final String OP = "sandbox sb1: hotplug thing";

  private final UndoLog log = new UndoLog();
  private final List<String> ran = new ArrayList<>();

  private Runnable step(String name) {
    return () -> ran.add(name);
  }

  private static Runnable failing(String why) {
    return () -> {
      throw new IllegalStateException(why);
    };
  }

  @Test
  void newestFirstAndQuietUndosAreNotNamed() {
    log.push(null, step("count"));
    log.push("blockdev-del d", step("blockdev-del"));
    log.push(null, step("attach"));
    log.push("release slot 02/01", step("release"));
    Vmm4jException e = log.rollback(OP, new IllegalStateException("boom"));
    assertThat(e)
        .isInstanceOf(HotplugException.class)
        .hasMessage(OP + ": boom; rolled back: release slot 02/01, blockdev-del d")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(e.leftInPlace()).isEmpty();
    assertThat(ran).containsExactly("release", "attach", "blockdev-del", "count");
    assertThat(log.isEmpty()).isTrue();
  }

  @Test
  void aRefusalWithOnlyQuietUndosPassesUnchanged() {
    log.push(null, step("reference"));
    log.push(null, step("attach"));
    HotplugRefusedException refused = new HotplugRefusedException(OP + ": it is plugged already");
    assertThat(log.rollback(OP, refused)).isSameAs(refused);
    assertThat(ran).containsExactly("attach", "reference");
    assertThat(log.isEmpty()).isTrue();
  }

  @Test
  void aRefusalAfterNamedStepsStaysARefusalNamingThem() {
    log.push("blockdev-del d", step("blockdev-del"));
    HotplugRefusedException refused = new HotplugRefusedException(OP + ": no free slot");
    Vmm4jException e = log.rollback(OP, refused);
    assertThat(e)
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessage(OP + ": no free slot; rolled back: blockdev-del d")
        .hasCause(refused);
  }

  @Test
  void aFailureOfVmm4jWithNothingNamedUndonePassesUnchanged() {
    log.push(null, step("count"));
    DeviceStillPresentException kept =
        new DeviceStillPresentException(OP + ": still there", "d", List.of("slot 02/01"));
    assertThat(log.rollback(OP, kept)).isSameAs(kept);
    assertThat(ran).containsExactly("count");
  }

  @Test
  void anyOtherFailureIsAHotplugErrorNamingTheOperation() {
    Vmm4jException e = log.rollback(OP, new IllegalStateException("boom"));
    assertThat(e).isInstanceOf(HotplugException.class).hasMessage(OP + ": boom");
  }

  @Test
  void aFailingUndoStopsTheRollbackAndNamesWhatStayed() {
    log.push("release block index 0", step("index"));
    log.push(null, step("count"));
    log.push("device_del d", failing("the guest keeps it"));
    log.push("release slot 02/02", step("slot"));
    IllegalStateException cause = new IllegalStateException("boom");
    Vmm4jException e = log.rollback(OP, cause);
    assertThat(e)
        .isInstanceOf(HotplugException.class)
        .hasMessage(
            OP
                + ": boom; rolled back: release slot 02/02; rollback stopped: device_del d: the"
                + " guest keeps it; left in place: device_del d, release block index 0")
        .hasCause(cause);
    assertThat(e.leftInPlace()).containsExactly("device_del d", "release block index 0");
    assertThat(ran).as("nothing older than the failed undo runs").containsExactly("slot");
    assertThat(cause.getSuppressed())
        .singleElement()
        .hasToString("java.lang.IllegalStateException: the guest keeps it");
    assertThat(log.isEmpty()).isTrue();
  }

  @Test
  void aRefusalWhoseUndoFailsIsNoLongerARefusal() {
    log.push("blockdev-del d", failing("in use"));
    Vmm4jException e = log.rollback(OP, new HotplugRefusedException(OP + ": no free slot"));
    assertThat(e).isInstanceOf(HotplugException.class);
    assertThat(e.leftInPlace()).containsExactly("blockdev-del d");
  }

  @Test
  void releaseHostRunsOnlyTheHostUndosEachWhateverTheOthersDid() {
    log.pushHost("delete tap", step("tap"));
    log.push("device_del d", step("device_del"));
    log.pushHost("delete filter", failing("filter busy"));
    List<RuntimeException> failures = log.releaseHost();
    assertThat(failures).extracting(Throwable::getMessage).containsExactly("filter busy");
    assertThat(ran).containsExactly("tap");
    assertThat(log.isEmpty()).isTrue();
  }

  @Test
  void keepForgetsTheUndosSoWhatWasDoneStaysAndIsSaved() {
    try (HotplugHarness h = HotplugHarness.q35()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  h.apply(
                      tx -> {
                        tx.commit(tx.reserve("dev-x", Placement.ROOT_PORT));
                        tx.keep();
                        throw new IllegalStateException("later");
                      }))
          .hasMessage("sandbox sb1: transaction: later");
      assertThat(h.model().topology().find("dev-x")).isPresent();
    }
  }
}
