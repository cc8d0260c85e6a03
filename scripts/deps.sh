#!/usr/bin/env bash
# Installs the Debian packages vmm4j needs when they are missing, and says what it installs.
# Idempotent: a second run installs nothing. Needs root (or sudo) only when something is missing.
#   scripts/deps.sh          what the demo and the test suite need
set -euo pipefail

# qemu-system-x86: qemu-system-x86_64 (and qemu-storage-daemon, through qemu-system-common)
# qemu-utils: qemu-img for test disk images; busybox-static and cpio: the test guest's initramfs;
# xz-utils: unpacks the Debian kernel's XZ payload into a vmlinux; iproute2: ip and tc (network
# test set-up and the network benchmark's baseline); strace: shows that the store's writes fsync.
pkgs=(qemu-system-x86 qemu-utils busybox-static cpio xz-utils iproute2 strace)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

sudo=()
if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi

# The test guest's kernel is fetched with `apt-get download`, which needs package lists.
lists_empty=true
if compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then lists_empty=false; fi

if ((${#missing[@]})) || $lists_empty; then
  echo "vmm4j deps: apt-get update" >&2
  "${sudo[@]}" apt-get update -qq
fi
if ((${#missing[@]})); then
  echo "vmm4j deps: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >&2
else
  echo "vmm4j deps: all present (${pkgs[*]})" >&2
fi
