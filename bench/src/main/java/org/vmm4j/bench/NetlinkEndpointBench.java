package org.vmm4j.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.vmm4j.network.Address;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.ConnectedEndpoint;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.Endpoints;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.Link;
import org.vmm4j.network.LinkSpec;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.NetPair;
import org.vmm4j.network.Netlink;
import org.vmm4j.network.Qdisc;

/**
 * Sets up and tears down a veth endpoint with Kata's tcfilter redirection, N times through vmm4j
 * (netlink over JNA, {@code /dev/net/tun}) and N times through the same steps done by {@code ip}
 * and {@code tc} processes, in one run, inside a namespace it creates and removes; prints both and
 * their ratio. Needs root, iproute2 and {@code /dev/net/tun}.
 *
 * <p>The process baseline per round: {@code ip tuntap add tap0_kata mode tap multi_queue vnet_hdr};
 * {@code ip link set tap0_kata address MAC mtu MTU up}; {@code tc qdisc add dev tap0_kata ingress};
 * {@code tc qdisc add dev eth0 ingress}; two {@code tc filter add ... u32 match u8 0 0 action
 * mirred egress redirect}; then {@code tc qdisc del dev eth0 ingress} and {@code ip link del
 * tap0_kata}. The vmm4j round does that and more (it looks the links up, checks names, opens and
 * closes the tap's queue descriptor).
 *
 * <p>Run: {@code mvn -B -ntp -pl bench -am package -DskipTests && java -cp
 * bench/target/vmm4j-bench.jar org.vmm4j.bench.NetlinkEndpointBench [ROUNDS [WARMUP]]} (defaults
 * 200 and 20).
 */
public final class NetlinkEndpointBench {
  private NetlinkEndpointBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String name = "vmm4j-bench-" + ProcessHandle.current().pid();
    NetNs ns = NetNs.create(name);
    try {
      String mac = prepare(ns);
      System.out.printf(
          Locale.ROOT,
          "netns %s, eth0 %s, %d rounds after %d warm-up rounds%n",
          name,
          mac,
          rounds,
          warmup);
      measure(warmup, () -> viaVmm4j(ns));
      measure(warmup, () -> viaProcesses(name, mac));
      long[][] ours = measure(rounds, () -> viaVmm4j(ns));
      long[][] theirs = measure(rounds, () -> viaProcesses(name, mac));
      checkClean(ns);
      String[] phases = {"set-up", "teardown", "whole round"};
      for (int p = 0; p < 3; p++) {
        System.out.println(phases[p] + ":");
        report("  vmm4j (netlink/JNA)", ours[p]);
        report("  ip + tc processes", theirs[p]);
        System.out.printf(
            Locale.ROOT,
            "  ratio (processes / vmm4j): total %.1fx, median %.1fx%n",
            (double) sum(theirs[p]) / sum(ours[p]),
            (double) median(theirs[p]) / median(ours[p]));
      }
    } finally {
      ns.delete();
    }
  }

  /** A CNI-like veth: eth0 with an address, up, its peer up too. Returns eth0's MAC. */
  private static String prepare(NetNs ns) {
    return ns.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          Link eth0 = nl.links().create(new LinkSpec.Veth("eth0", "vethpeer0"));
          nl.addresses().add(Address.of(eth0.index(), "10.88.0.5/16"));
          nl.links().setUp(eth0.index());
          nl.links().setUp(nl.links().get("vethpeer0").index());
          return nl.links().get(eth0.index()).mac().toString();
        });
  }

  /** One round; returns the nanoseconds of its set-up and of its teardown. */
  private interface Round {
    long[] run() throws Exception;
  }

  /** Per phase (set-up, teardown, whole round) the nanoseconds of every round. */
  private static long[][] measure(int rounds, Round round) throws Exception {
    long[][] nanos = new long[3][rounds];
    for (int i = 0; i < rounds; i++) {
      long[] t = round.run();
      nanos[0][i] = t[0];
      nanos[1][i] = t[1];
      nanos[2][i] = t[0] + t[1];
    }
    return nanos;
  }

  private static long[] viaVmm4j(NetNs ns) {
    Endpoint.Veth ep =
        new Endpoint.Veth(NetPair.forIndex(0, "eth0", InterworkingModel.TCFILTER), "");
    long t0 = System.nanoTime();
    ConnectedEndpoint c = Endpoints.connect(ns, ep, ConnectOptions.of(1));
    long t1 = System.nanoTime();
    c.close();
    return new long[] {t1 - t0, System.nanoTime() - t1};
  }

  private static final String REDIRECT =
      "parent ffff: protocol all u32 match u8 0 0 action mirred egress redirect dev";
  private static final List<String> SET_UP =
      List.of(
          "ip -n NS tuntap add dev tap0_kata mode tap multi_queue vnet_hdr",
          "ip -n NS link set dev tap0_kata address MAC mtu 1500 up",
          "tc -n NS qdisc add dev tap0_kata ingress",
          "tc -n NS qdisc add dev eth0 ingress",
          "tc -n NS filter add dev eth0 " + REDIRECT + " tap0_kata",
          "tc -n NS filter add dev tap0_kata " + REDIRECT + " eth0");
  private static final List<String> TEARDOWN =
      List.of("tc -n NS qdisc del dev eth0 ingress", "ip -n NS link del tap0_kata");

  private static long[] viaProcesses(String ns, String mac)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    for (String step : SET_UP) {
      exec(step.replace("NS", ns).replace("MAC", mac).split(" "));
    }
    long t1 = System.nanoTime();
    for (String step : TEARDOWN) {
      exec(step.replace("NS", ns).split(" "));
    }
    return new long[] {t1 - t0, System.nanoTime() - t1};
  }

  private static void exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", cmd));
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " -> " + p.exitValue() + ": " + out);
    }
  }

  private static void checkClean(NetNs ns) {
    ns.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          if (nl.links().find("tap0_kata").isPresent()
              || nl.tc().qdiscs().stream().anyMatch(Qdisc::isIngress)) {
            throw new IllegalStateException("a round left a tap or an ingress qdisc behind");
          }
          return null;
        });
  }

  private static void report(String what, long[] nanos) {
    System.out.printf(
        Locale.ROOT,
        "%-24s total %8.1f ms, per round: median %7.3f ms, mean %7.3f ms, min %7.3f ms,"
            + " max %7.3f ms%n",
        what,
        sum(nanos) / 1e6,
        median(nanos) / 1e6,
        sum(nanos) / 1e6 / nanos.length,
        Arrays.stream(nanos).min().orElse(0) / 1e6,
        Arrays.stream(nanos).max().orElse(0) / 1e6);
  }

  private static long sum(long[] v) {
    return Arrays.stream(v).sum();
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
