package org.vmm4j.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlockAddressingTest {
  @ParameterizedTest
  @CsvSource({
    "0, vda",
    "1, vdb",
    "25, vdz",
    "26, vdaa",
    "27, vdab",
    "51, vdaz",
    "52, vdba",
    "701, vdzz",
    "702, vdaaa",
    "704, vdaac",
    "18277, vdzzz",
    "18278, vdaaaa"
  })
  void katasDriveNames(int index, String name) {
    assertThat(DriveNames.virtio(index)).isEqualTo(name);
    assertThat(DriveNames.virtioPath(index)).isEqualTo("/dev/" + name);
  }

  @Test
  void negativeIndexHasNoName() {
    assertThatThrownBy(() -> DriveNames.virtio(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("drive name: index -1 is negative");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0, 0, 0:0",
    "1, 0, 1, 0:1",
    "255, 0, 255, 0:255",
    "256, 1, 0, 1:0",
    "770, 3, 2, 3:2",
    "65535, 255, 255, 255:255"
  })
  void scsiIdAndLunFromTheIndex(int index, int id, int lun, String text) {
    ScsiAddress a = ScsiAddress.of(index);
    assertThat(a).isEqualTo(new ScsiAddress(id, lun));
    assertThat(a).hasToString(text);
    assertThat(ScsiAddress.parse(text)).isEqualTo(a);
  }

  @Test
  void scsiAddressBounds() {
    assertThatThrownBy(() -> ScsiAddress.of(65536))
        .hasMessage("SCSI address: block index 65536 not in 0..65535");
    assertThatThrownBy(() -> ScsiAddress.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScsiAddress.parse("1")).hasMessage("SCSI address \"1\" is not id:lun");
    assertThatThrownBy(() -> ScsiAddress.parse("1:x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScsiAddress.parse("1:256"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blockIndexesTakeTheLowestUnused() {
    BlockIndexes b = BlockIndexes.empty("sb");
    assertThat(b.allocate()).isZero();
    assertThat(b.allocate()).isEqualTo(1);
    assertThat(b.allocate()).isEqualTo(2);
    b.release(1);
    assertThat(b.isUsed(1)).isFalse();
    assertThat(b.allocate()).isEqualTo(1);
    assertThat(b.allocate()).isEqualTo(3);
    assertThat(b.toPersisted()).containsExactly(0L, 1L, 2L, 3L);
    assertThatThrownBy(() -> b.release(9))
        .isInstanceOf(DeviceStateException.class)
        .hasMessage("sandbox sb: release block index 9: not in use");
  }

  @Test
  void blockIndexesRestoreAndExhaust() {
    BlockIndexes b = BlockIndexes.restore("sb", Set.of(0L, 2L));
    assertThat(b.allocate()).isEqualTo(1);
    assertThat(b.allocate()).isEqualTo(3);
    assertThat(BlockIndexes.restore("sb", null).size()).isZero();
    assertThatThrownBy(() -> BlockIndexes.restore("sb", Set.of(65535L)))
        .hasMessage("sandbox sb: BlockIndexMap holds 65535, outside [0, 65535)");
    BlockIndexes full = BlockIndexes.empty("full");
    for (int i = 0; i < BlockIndexes.LIMIT; i++) {
      full.allocate();
    }
    assertThat(full.size()).isEqualTo(65535);
    assertThatThrownBy(full::allocate)
        .isInstanceOf(NoFreeSlotException.class)
        .hasMessage("sandbox full: allocate a block index: all 65535 are in use");
    full.release(40000);
    assertThat(full.allocate()).isEqualTo(40000);
  }
}
