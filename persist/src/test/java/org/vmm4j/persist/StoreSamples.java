package org.vmm4j.persist;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * States for the store's tests: the sandbox and container that Kata 1.13 wrote ({@link
 * GoldenSamples}) with their ids, sizes and process varied. (Other modules' tests and the
 * benchmarks use {@code org.vmm4j.testing.persist.SampleStates} from vmm4j-testing, which persist's
 * own tests cannot: it depends on persist.)
 */
final class StoreSamples {
  private StoreSamples() {}

  /**
   * A running sandbox {@code sid} with {@code devices} block devices and {@code endpoints} veths.
   */
  static SandboxState sandbox(String sid, int devices, int endpoints) {
    SandboxState kata = GoldenSamples.sandbox();
    List<DeviceState> devs = new ArrayList<>();
    Set<Long> indexes = new HashSet<>();
    for (int i = 0; i < devices; i++) {
      devs.add(blockDevice(i));
      indexes.add((long) i);
    }
    List<NetworkEndpoint> eps = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      eps.add(NetworkEndpoint.of(GoldenSamples.veth()));
    }
    return kata.toBuilder()
        .state("running")
        .sandboxContainer(sid)
        .cgroupPath("/vc/" + sid)
        .devices(devs)
        .hypervisorState(kata.hypervisorState().toBuilder().blockIndexMap(indexes).build())
        .network(new NetworkInfo("/var/run/netns/" + sid, 0, false, eps))
        .build();
  }

  /** A running container whose process started at a time derived from {@code n}. */
  static ContainerState container(String cid, long n) {
    return GoldenSamples.container().toBuilder()
        .state("running")
        .cgroupPath("/vc/" + cid)
        .process(
            new ContainerProcess(
                cid + "-" + n,
                (int) (1000 + n % 30000),
                OffsetDateTime.of(
                    2021, 4, 1, 8, 0, 0, (int) (n % 1000) * 1_000_000, ZoneOffset.ofHours(2))))
        .bundlePath("/run/containerd/io.containerd.runtime.v2.task/k8s.io/" + cid)
        .build();
  }

  /**
   * The {@code n}-th state of a sandbox that grows: {@code n % 64 + 1} devices and a generation
   * number in its {@code State}, so that every state differs and they vary in size.
   */
  static SandboxState growing(String sid, long n) {
    SandboxState s = sandbox(sid, (int) (n % 64) + 1, (int) (n % 8) + 1);
    return s.toBuilder().state("generation-" + n).build();
  }

  /** The generation a {@link #growing} state was made for. */
  static long generation(SandboxState s) {
    return Long.parseLong(s.state().substring("generation-".length()));
  }

  /** The containers saved with {@link #growing}{@code (sid, n)}: one or two, changing with n. */
  static Map<String, ContainerState> growingContainers(long n) {
    Map<String, ContainerState> m = new LinkedHashMap<>();
    m.put("c-" + (n % 3), container("c-" + (n % 3), n));
    if (n % 2 == 0) {
      m.put("pod", container("pod", n));
    }
    return m;
  }

  private static DeviceState blockDevice(int i) {
    DeviceState kata = GoldenSamples.device();
    return kata.toBuilder()
        .id("blk-" + i)
        .minor(i)
        .blockDrive(
            kata.blockDrive().toBuilder()
                .file("/var/lib/vmm4j/disk-" + i + ".img")
                .id(String.format("drive-%016x", 0x1000L + i))
                .index(i)
                .build())
        .build();
  }
}
