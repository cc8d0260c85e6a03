package org.vmm4j.devices;

import java.util.BitSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sandbox's block indexes ({@code HypervisorState.BlockIndexMap}): each hot-plugged block
 * device takes the lowest unused index in {@code [0, 65535)} (Kata's {@code
 * getAndSetSandboxBlockIndex}); the index names the drive ({@link DriveNames#virtio(int)}) and
 * places a SCSI disk ({@link ScsiAddress#of(int)}). An index is released only once its device is
 * gone. Not thread-safe: part of one transaction's model, like {@link PciTopology}.
 */
public final class BlockIndexes {
  /** Indexes are below this bound (Kata's {@code maxBlockIndex}). */
  public static final int LIMIT = 65535;

  private final String sandboxId;
  private final BitSet used = new BitSet(LIMIT);

  private BlockIndexes(String sandboxId) {
    this.sandboxId = Objects.requireNonNull(sandboxId, "sandboxId");
  }

  /** No index in use. */
  public static BlockIndexes empty(String sandboxId) {
    return new BlockIndexes(sandboxId);
  }

  /**
   * The indexes recorded in {@code BlockIndexMap} (null, Go's nil, is none).
   *
   * @throws DeviceStateException for an index outside {@code [0, 65535)}
   */
  public static BlockIndexes restore(String sandboxId, Set<Long> blockIndexMap) {
    BlockIndexes b = new BlockIndexes(sandboxId);
    if (blockIndexMap != null) {
      for (long i : blockIndexMap) {
        if (i < 0 || i >= LIMIT) {
          throw new DeviceStateException(
              "sandbox "
                  + sandboxId
                  + ": BlockIndexMap holds "
                  + i
                  + ", outside [0, "
                  + LIMIT
                  + ")");
        }
        b.used.set((int) i);
      }
    }
    return b;
  }

  /**
   * Takes the lowest unused index.
   *
   * @throws NoFreeSlotException when all 65535 are in use
   */
  public int allocate() {
    int i = used.nextClearBit(0);
    if (i >= LIMIT) {
      throw new NoFreeSlotException(
          "sandbox " + sandboxId + ": allocate a block index: all " + LIMIT + " are in use");
    }
    used.set(i);
    return i;
  }

  /**
   * Releases {@code index} (its device is gone).
   *
   * @throws DeviceStateException when it is not in use
   */
  public void release(int index) {
    if (index < 0 || index >= LIMIT || !used.get(index)) {
      throw new DeviceStateException(
          "sandbox " + sandboxId + ": release block index " + index + ": not in use");
    }
    used.clear(index);
  }

  /** Whether {@code index} is in use. */
  public boolean isUsed(int index) {
    return index >= 0 && index < LIMIT && used.get(index);
  }

  /** How many indexes are in use. */
  public int size() {
    return used.cardinality();
  }

  /** {@code BlockIndexMap}: the indexes in use, sorted. */
  public Set<Long> toPersisted() {
    Set<Long> s = new TreeSet<>();
    used.stream().forEach(i -> s.add((long) i));
    return s;
  }
}
