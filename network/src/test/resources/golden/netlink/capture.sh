#!/usr/bin/env bash
# Regenerates the golden netlink messages of NetlinkGoldenTest: runs real `ip` and `tc` commands
# under strace in a scratch namespace and keeps the last message each one sends (the operative
# request; `ip` resolves names with an RTM_GETLINK first), with nlmsg_seq and nlmsg_pid zeroed.
# Needs root, iproute2, strace, python3. Interface indexes in the scratch namespace are fixed by the
# order of creation: lo 1, tbveth1 2, tbveth0 3, tbbr0 4, tbmvt0 5.
# Replies (*.reply.hex) are the whole datagrams the kernel sent back to a dump (`... show`).
set -euo pipefail
cd "$(dirname "$0")"
ns=vmm4j-golden-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT

keep() { # keep NAME WHICH(send|reply) COMMAND...
  local name=$1 which=$2; shift 2
  local out
  if [ "$which" = send ]; then
    out=$(strace -qq -e trace=sendmsg,sendto -e write=3,4,5 "$@" 2>&1 >/dev/null || true)
  else
    out=$(strace -qq -e trace=recvmsg -e read=3,4,5 "$@" 2>&1 >/dev/null || true)
  fi
  printf '%s\n' "$out" | python3 -c '
import re, sys
which, name, cmd = sys.argv[1], sys.argv[2], sys.argv[3]
blocks, cur = [], None
for line in sys.stdin:
    if re.match(r"^ \* \d+ bytes in buffer", line):
        cur = bytearray(); blocks.append(cur); continue
    m = re.match(r"^ \| [0-9a-f]{5}  (.{49})", line)
    if m and cur is not None:
        cur.extend(bytes.fromhex("".join(re.findall(r"[0-9a-f]{2}", m.group(1)))))
if which == "send":
    data = bytearray(blocks[-1]); data[8:16] = bytes(8)
    chosen = [data]
else:
    # every datagram of the last dump: from the first one carrying NLM_F_MULTI to NLMSG_DONE
    chosen = [b for b in blocks if len(b) >= 16]
with open(name + (".hex" if which == "send" else ".reply.hex"), "w") as f:
    f.write("# " + cmd + "\n")
    for d in chosen:
        f.write("# datagram\n")
        for i in range(0, len(d), 16):
            f.write(" ".join("%02x" % b for b in d[i:i+16]) + "\n")
' "$which" "$name" "${*//$ns/NS}"
}

keep link-add-veth send ip -n "$ns" link add tbveth0 type veth peer name tbveth1
keep link-add-bridge send ip -n "$ns" link add tbbr0 type bridge
keep link-add-macvtap send ip -n "$ns" link add link tbveth0 name tbmvt0 type macvtap mode bridge
keep link-set-up send ip -n "$ns" link set tbveth0 up
keep link-set-down send ip -n "$ns" link set tbveth0 down
keep link-set-mtu send ip -n "$ns" link set tbveth0 mtu 1400
keep link-set-address send ip -n "$ns" link set tbveth0 address 02:11:22:33:44:55
keep link-set-master send ip -n "$ns" link set tbveth1 master tbbr0
keep link-set-nomaster send ip -n "$ns" link set tbveth1 nomaster
keep link-get send ip -n "$ns" link show tbveth1
keep addr-add-v4 send ip -n "$ns" addr add 10.1.2.3/24 dev tbveth0
keep addr-add-v4-brd-label send ip -n "$ns" addr add 10.1.2.4/24 brd 10.1.2.255 dev tbveth0 label tbveth0:1
keep addr-add-v6 send ip -n "$ns" -6 addr add fd00::5/64 dev tbveth0
keep addr-del-v4 send ip -n "$ns" addr del 10.1.2.4/24 dev tbveth0
ip -n "$ns" link set tbveth0 up
keep route-add-via send ip -n "$ns" route add 10.9.0.0/16 via 10.1.2.1 dev tbveth0
keep route-add-default send ip -n "$ns" route add default via 10.1.2.1
keep route-add-v6-metric send ip -n "$ns" -6 route add fd01::/64 dev tbveth0 metric 300
keep route-del send ip -n "$ns" route del 10.9.0.0/16
keep qdisc-add-ingress send tc -n "$ns" qdisc add dev tbveth0 ingress
keep filter-add-mirred send tc -n "$ns" filter add dev tbveth0 parent ffff: protocol all u32 match u8 0 0 action mirred egress redirect dev tbveth1
ip -n "$ns" neigh add 10.1.2.9 lladdr 02:00:00:00:00:09 dev tbveth0 nud permanent
keep neigh-dump reply ip -n "$ns" neigh show
keep link-get reply ip -n "$ns" link show tbveth0
keep link-dump reply ip -n "$ns" link show
keep addr-dump reply ip -n "$ns" addr show
keep route-dump reply ip -n "$ns" route show table all
keep qdisc-dump reply tc -n "$ns" qdisc show
keep filter-dump reply tc -n "$ns" filter show dev tbveth0 parent ffff:
keep filter-del send tc -n "$ns" filter del dev tbveth0 parent ffff:
keep qdisc-del-ingress send tc -n "$ns" qdisc del dev tbveth0 ingress
keep link-del send ip -n "$ns" link del tbmvt0
keep error-enodev reply ip -n "$ns" link set nosuch0 up
