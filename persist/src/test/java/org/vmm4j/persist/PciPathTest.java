package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PciPathTest {

  @Test
  void formatsSlotsAsTwoLowercaseHexDigitsJoinedBySlash() {
    assertThat(PciPath.of(2, 3).toString()).isEqualTo("02/03");
    assertThat(PciPath.of(0x1f).toString()).isEqualTo("1f");
    assertThat(PciPath.of(2).child(30).toString()).isEqualTo("02/1e");
    assertThat(PciPath.NIL.toString()).isEmpty();
  }

  @Test
  void parsesTheCanonicalFormOnly() {
    assertThat(PciPath.parse("02/03")).isEqualTo(PciPath.of(2, 3));
    assertThat(PciPath.parse("02/03").slots()).containsExactly(2, 3);
    assertThat(PciPath.parse("")).isSameAs(PciPath.NIL);
    for (String bad : List.of("2/3", "02/", "/02", "20", "0x2", "1F", "02//03", "xy", "002")) {
      assertThatThrownBy(() -> PciPath.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void nilIsDistinctFromEveryKnownPath() {
    assertThat(PciPath.NIL.isNil()).isTrue();
    assertThat(PciPath.NIL.slots()).isEmpty();
    assertThat(PciPath.of(0)).isNotEqualTo(PciPath.NIL);
    assertThat(PciPath.of(0).isNil()).isFalse();
    assertThat(PciPath.NIL.child(3)).isEqualTo(PciPath.of(3));
  }

  @Test
  void refusesSlotsOutOfRangeAndEmptyPaths() {
    assertThatThrownBy(() -> PciPath.of(32)).hasMessageContaining("[0..0x1f]");
    assertThatThrownBy(() -> PciPath.of(-1)).hasMessageContaining("[0..0x1f]");
    assertThatThrownBy(PciPath::of).hasMessageContaining("at least one component");
  }
}
