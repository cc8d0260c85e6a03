# Regenerates the golden replies in this directory from a real QEMU (run it here: python3 capture.py).
# Each file is one line exactly as QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18) sent it.
import socket, json, subprocess, time, os, sys
sock = "/tmp/capture-qmp.sock"
if os.path.exists(sock): os.unlink(sock)
p = subprocess.Popen(["qemu-system-x86_64","-machine","q35","-accel","tcg","-nodefaults","-S","-display","none",
  "-smp","1,maxcpus=4,sockets=4,cores=1,threads=1","-m","256M,slots=2,maxmem=1G",
  "-global","ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
  "-device","pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1,addr=0x2",
  "-device","pcie-root-port,id=rp1,bus=pcie.0,chassis=2,slot=2,addr=0x3",
  "-qmp","unix:%s,server=on,wait=off" % sock], stderr=subprocess.PIPE)
for i in range(100):
    if os.path.exists(sock): break
    time.sleep(0.05)
s = socket.socket(socket.AF_UNIX); s.connect(sock); f = s.makefile("rwb")
def line():
    return f.readline()
greet = line(); open("greeting.json","wb").write(greet)
n=[0]
def cmd(name, args=None, save=None):
    n[0]+=1
    m={"execute":name}
    if args is not None: m["arguments"]=args
    m["id"]=n[0]
    f.write(json.dumps(m,separators=(",",":")).encode()+b"\n"); f.flush()
    while True:
        l=line()
        d=json.loads(l)
        if "event" in d:
            print("EVENT", l.decode().strip()); continue
        if save: open(save,"wb").write(l)
        print(name, l[:300])
        return d
cmd("qmp_capabilities")
cmd("query-status", save="query-status.json")
cmd("query-version", save="query-version.json")
cmd("blockdev-add", {"driver":"null-co","node-name":"null0","size":1073741824})
cmd("device_add", {"driver":"virtio-blk-pci","id":"blk0","drive":"null0","bus":"rp0"})
cmd("object-add", {"qom-type":"memory-backend-ram","id":"mem1","size":134217728})
cmd("device_add", {"driver":"pc-dimm","id":"dimm1","memdev":"mem1"})
cmd("device_add", {"driver":"qemu64-x86_64-cpu","id":"cpu1","socket-id":1,"core-id":0,"thread-id":0})
cmd("query-hotpluggable-cpus", save="query-hotpluggable-cpus.json")
cmd("query-cpus-fast", save="query-cpus-fast.json")
cmd("query-memory-devices", save="query-memory-devices.json")
cmd("query-named-block-nodes", save="query-named-block-nodes.json")
cmd("qom-list", {"path":"/machine/peripheral"}, save="qom-list-peripheral.json")
cmd("qom-get", {"path":"/machine/peripheral/rp0","property":"hotplug"}, save="qom-get.json")
cmd("query-pci", save="query-pci-prelaunch.json")
cmd("device_add", {"driver":"virtio-blk-pci","id":"blk9","drive":"null0","bus":"pcie.0"}, save="error-device-add.json")
cmd("device_del", {"id":"nonexistent"}, save="error-device-not-found.json")
cmd("no-such-command", save="error-command-not-found.json")
cmd("cont")
time.sleep(4)
cmd("query-pci", save="query-pci.json")
cmd("quit")
p.wait()
