package org.vmm4j.core.internal.vm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.LongByReference;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.newsclub.net.unix.FileDescriptorCast;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.internal.qemu.PreContStep;
import org.vmm4j.qmp.DeviceAdd;
import org.vmm4j.qmp.GetFd;
import org.vmm4j.qmp.QmpClient;

/**
 * The agent's vhost-vsock device, added before {@code cont} (QEMU inherits no descriptor, {@link
 * PreContStep.AddVhostVsock}): open {@code /dev/vhost-vsock}, reserve a free guest CID on it
 * (Kata's {@code FindContextID}: from a random CID upwards, {@code VHOST_VSOCK_SET_GUEST_CID} until
 * one is not in use), hand the fd to QEMU with {@code getfd}, then {@code device_add
 * vhost-vsock-pci}.
 */
public final class VhostVsock {
  /** The device, as Kata opens it. */
  public static final String DEVICE = "/dev/vhost-vsock";

  /** {@code _IOW(VHOST_VIRTIO 0xAF, 0x60, __u64)}. */
  static final long VHOST_VSOCK_SET_GUEST_CID = 0x4008AF60L;

  /** CIDs 0-2 are reserved. */
  static final long FIRST_CID = 3;

  static final long MAX_CID = 0xFFFFFFFFL - 1;
  static final int MAX_TRIES = 4096;
  private static final int EADDRINUSE = 98;
  private static final SecureRandom RANDOM = new SecureRandom();

  private VhostVsock() {}

  /** NATIVE: libc's ioctl on an fd this class owns; {@code cid} is read by the kernel. */
  interface LibC extends Library {
    int ioctl(int fd, NativeLong request, LongByReference cid) throws LastErrorException;
  }

  /**
   * Runs the step on a QEMU stopped by {@code -S}; returns the guest CID.
   *
   * @throws HostException when the device cannot be opened, no CID is free, or QEMU refuses
   */
  public static long add(QmpClient qmp, PreContStep.AddVhostVsock step, Duration timeout) {
    try (RandomAccessFile dev = new RandomAccessFile(DEVICE, "rw")) {
      long cid = reserveCid(dev.getFD());
      String fdname = "vsockfd-" + cid;
      qmp.call(new GetFd(fdname, dev.getFD()), timeout);
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("guest-cid", cid);
      props.put("vhostfd", fdname);
      props.put("bus", step.bus());
      if (step.disableModern()) {
        props.put("disable-modern", true);
      }
      qmp.call(DeviceAdd.of("vhost-vsock-pci", "vsock-" + cid, props), timeout);
      return cid;
    } catch (IOException e) {
      throw new HostException("vhost-vsock: open " + DEVICE + ": " + e.getMessage(), e);
    }
  }

  private static long reserveCid(FileDescriptor fd) throws IOException {
    // NATIVE: the int behind fd stays valid while the RandomAccessFile is open (our caller's).
    int raw = FileDescriptorCast.using(fd).as(Integer.class);
    LibC libc = Native.load("c", LibC.class);
    long cid = FIRST_CID + (long) (RANDOM.nextDouble() * (MAX_CID - FIRST_CID));
    for (int i = 0; i < MAX_TRIES; i++, cid = cid >= MAX_CID ? FIRST_CID : cid + 1) {
      try {
        libc.ioctl(raw, new NativeLong(VHOST_VSOCK_SET_GUEST_CID), new LongByReference(cid));
        return cid;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EADDRINUSE) {
          throw new HostException(
              "vhost-vsock: VHOST_VSOCK_SET_GUEST_CID " + cid + ": errno " + e.getErrorCode(), e);
        }
      }
    }
    throw new HostException("vhost-vsock: no free guest CID in " + MAX_TRIES + " tries");
  }
}
