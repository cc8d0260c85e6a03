#!/bin/sh
# The vmm4j test guest's agent, on one channel ($1): hvc0 / ttyS1 / any tty name, or vport:NAME (a
# virtio-serial port found by its name).
#
# Protocol (lines, UTF-8):
#   guest -> host  "READY <uptime>"          when the channel is (re)opened (a virtio-serial port: on every
#                                             host connection; a tty: once, and it may be lost)
#   host  -> guest "hello <nonce>"            guest answers "READY <uptime> <nonce>": the host's sync point
#   host  -> guest "<cmd> [args]"             guest answers output lines, then "@@END@@ <rc>" (the marker may
#                                             follow unterminated output on the same line)
# Empty lines are ignored (the host sends one first to flush a half line a previous host left behind).
# Commands run with stdin from /dev/null; their stderr is part of the output.

ch=$1

uptime_s() { read -r u _ < /proc/uptime; echo "$u"; }

# PCI path of a sysfs path: the slot (".function" when not 0) of every DDDD:BB:SS.F component, from the
# host bridge down, joined by "/"; "-" when the path crosses no PCI device.
pcipath_of() {
  _p=$(readlink -f "$1") || _p=$1
  _r=
  _ifs=$IFS
  IFS=/
  set -f
  for _c in $_p; do
    case $_c in
      [0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f].[0-7])
        _s=${_c#*:}
        _s=${_s#*:}
        _f=${_s#*.}
        _s=${_s%.*}
        [ "$_f" = 0 ] || _s=$_s.$_f
        _r=${_r:+$_r/}$_s
        ;;
    esac
  done
  set +f
  IFS=$_ifs
  echo "${_r:--}"
}

nospace() { case $1 in '') echo - ;; *' '*) echo "$1" | tr ' ' _ ;; *) echo "$1" ;; esac; }

c_pci() {
  for d in /sys/bus/pci/devices/*; do
    [ -e "$d" ] || continue
    read -r v < "$d/vendor"; read -r dv < "$d/device"; read -r cl < "$d/class"
    drv=-
    [ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
    sys=$(readlink -f "$d")
    echo "${d##*/} $v $dv $cl $drv $(pcipath_of "$sys") $sys"
  done
}

c_blk() {
  for b in /sys/block/*; do
    [ -e "$b" ] || continue
    n=${b##*/}
    case $n in loop* | ram* | zram*) continue ;; esac
    read -r sz < "$b/size"
    sys=$(readlink -f "$b")
    serial= hctl=-
    [ -r "$b/serial" ] && read -r serial < "$b/serial"
    if [ -d "$b/device/scsi_device" ]; then
      hctl=$(ls "$b/device/scsi_device")
      [ -r "$b/device/vpd_pg80" ] && serial=$(dd if="$b/device/vpd_pg80" bs=1 skip=4 2> /dev/null | tr -d '\000')
    fi
    echo "$n $sz $(pcipath_of "$sys") $(nospace "$serial") $hctl $sys"
  done
}

c_net() {
  for n in /sys/class/net/*; do
    [ -e "$n" ] || continue
    read -r mac < "$n/address"; read -r st < "$n/operstate"
    sys=$(readlink -f "$n")
    echo "${n##*/} $mac $st $(pcipath_of "$sys") $sys"
  done
}

c_cpus() {
  for k in online present possible; do read -r v < "/sys/devices/system/cpu/$k"; echo "$k $v"; done
  echo "nproc $(nproc)"
  for c in /sys/devices/system/cpu/cpu[0-9]*; do
    [ -e "$c" ] || continue
    o=1
    [ -r "$c/online" ] && read -r o < "$c/online"
    echo "${c##*/} $o"
  done
}

c_online_cpus() {
  rc=0
  for c in /sys/devices/system/cpu/cpu[0-9]*; do
    [ -r "$c/online" ] || continue
    read -r o < "$c/online"
    [ "$o" = 0 ] || continue
    if echo 1 > "$c/online"; then echo "${c##*/} online"; else rc=1; fi
  done
  return $rc
}

c_mem() {
  while read -r k v _; do
    case $k in MemTotal: | MemFree:) echo "${k%:} $v" ;; esac
  done < /proc/meminfo
  m=/sys/devices/system/memory
  read -r bs < $m/block_size_bytes
  echo "block_size $((0x$bs))"
  on=0 off=0
  for b in $m/memory[0-9]*; do
    [ -e "$b" ] || continue
    read -r s < "$b/state"
    case $s in online*) on=$((on + 1)) ;; *) off=$((off + 1)) ;; esac
  done
  echo "blocks_online $on"
  echo "blocks_offline $off"
  read -r a < $m/auto_online_blocks
  echo "auto_online $a"
}

c_online_mem() {
  mode=${1:-online_movable}
  rc=0
  for b in /sys/devices/system/memory/memory[0-9]*; do
    read -r s < "$b/state"
    [ "$s" = offline ] || continue
    if echo "$mode" > "$b/state"; then echo "${b##*/} $mode"; else rc=1; fi
  done
  return $rc
}

dev_of() { case $1 in /*) echo "$1" ;; *) echo "/dev/$1" ;; esac; }

c_readblk() {
  [ "$3" -le 65536 ] || { echo "readblk: at most 65536 bytes"; return 2; }
  dd if="$(dev_of "$1")" bs=65536 skip="$2" count="$3" iflag=skip_bytes,count_bytes 2> /dev/null \
    | hexdump -v -e '/1 "%02x"'
  echo
}

c_sumblk() {
  s=$(dd if="$(dev_of "$1")" bs=65536 skip="$2" count="$3" iflag=skip_bytes,count_bytes 2> /dev/null \
    | sha256sum) || return 1
  echo "${s%% *}"
}

c_writeblk() {
  case $3 in *[!0-9a-fA-F]*) echo "writeblk: not hex"; return 2 ;; esac
  # shellcheck disable=SC2059
  printf "$(echo "$3" | sed 's/../\\x&/g')" \
    | dd of="$(dev_of "$1")" bs=65536 seek="$2" oflag=seek_bytes conv=notrunc,fsync 2> /dev/null
}

# Runs one command line; prints its output; returns its exit code.
run() {
  set -f
  # shellcheck disable=SC2086
  set -- $1
  set +f
  cmd=$1
  shift
  case $cmd in
    ping) echo pong ;;
    pci) c_pci ;;
    blk) c_blk ;;
    net) c_net ;;
    cpus) c_cpus ;;
    online_cpus) c_online_cpus ;;
    mem) c_mem ;;
    online_mem) c_online_mem "$@" ;;
    rescan) echo 1 > /sys/bus/pci/rescan ;;
    pcipath) pcipath_of "$1" ;;
    dmesg) dmesg | tail -n "${1:-50}" ;;
    uptime) uptime_s ;;
    ifaddr) ip addr add "$2" dev "$1" && ip link set "$1" up ;;
    ping_host) ping -c "${2:-3}" -w $((${2:-3} + 5)) "$1" ;;
    readblk) c_readblk "$@" ;;
    sumblk) c_sumblk "$@" ;;
    writeblk) c_writeblk "$@" ;;
    *) echo "unknown command: $cmd"; return 127 ;;
  esac
}

serve() {
  while IFS= read -r line <&3; do
    line=${line%"$(printf '\r')"}
    case $line in
      '') ;;
      hello) echo "READY $(uptime_s)" >&3 ;;
      hello\ *) echo "READY $(uptime_s) ${line#hello }" >&3 ;;
      sh\ *)
        (eval "${line#sh }") < /dev/null >&3 2>&1
        echo "@@END@@ $?" >&3
        ;;
      poweroff)
        echo "@@END@@ 0" >&3
        sync
        poweroff -f
        ;;
      *)
        run "$line" < /dev/null >&3 2>&1
        echo "@@END@@ $?" >&3
        ;;
    esac
  done
}

# Sourced with VMM4J_AGENT_LIB set (the builder's unit tests): only the functions above.
[ -n "$VMM4J_AGENT_LIB" ] && return 0

case $ch in
  vport:*)
    name=${ch#vport:}
    dev=
    for i in $(seq 100); do
      for p in /sys/class/virtio-ports/*; do
        [ -r "$p/name" ] && read -r n < "$p/name" && [ "$n" = "$name" ] && dev=/dev/${p##*/}
      done
      [ -n "$dev" ] && [ -e "$dev" ] && break
      sleep 0.1
    done
    [ -n "$dev" ] || { echo "agent: no virtio-serial port named $name"; exit 1; }
    # While no host is connected, read() says EOF and write() blocks: reopen after every EOF, and the
    # READY line waits for the next host.
    while :; do
      exec 3<> "$dev"
      echo "READY $(uptime_s)" >&3
      serve
      exec 3>&-
    done
    ;;
  *)
    dev=/dev/$ch
    for i in $(seq 100); do [ -e "$dev" ] && break; sleep 0.1; done
    exec 3<> "$dev" || exit 1
    stty raw -echo <&3
    # A tty never says EOF and drops what is written while no host listens: the host syncs with hello.
    echo "READY $(uptime_s)" >&3
    while :; do
      serve
      sleep 1
    done
    ;;
esac
