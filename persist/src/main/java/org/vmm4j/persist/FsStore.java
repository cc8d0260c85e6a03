package org.vmm4j.persist;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The persisted state on disk, in Kata's layout: {@code <root>/sbs/<sid>/persist.json} (the
 * sandbox), {@code <root>/sbs/<sid>/<cid>/persist.json} (its containers), {@code <root>/vm/<sid>}
 * (the VM's sockets). Lock files live in {@code <root>/locks/<sid>.lock}, never removed: a waiter
 * holds one open and, were it unlinked, would lock it while a later locker locked a new one.
 *
 * <p>Every write is crash-safe (temporary file, fsync, rename, fsync of the directory); files are
 * 0600 and created directories (the root too) 0700 whatever the umask. Ids and relative paths are
 * checked ({@link Ids}) before they touch the file system. The store follows no symbolic link below
 * its root and uses only directories and files that the running user (or root) owns and that group
 * and others cannot write: every operation checks each component it walks (lstat(2)) and refuses
 * anything else with an {@link UnsafePathException} before writing or removing anything. It removes
 * only what its own naming says it made. Methods do not lock: callers hold {@link #lock} around a
 * read-modify-write, as Kata's callers do. Failures are {@link PersistException}s.
 */
public final class FsStore {
  /** Kata's root for root. */
  public static final Path DEFAULT_ROOT = Path.of("/run/vc");

  /** How long {@link #lock(String, boolean)} waits by default. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

  /** The name of every state file. */
  public static final String STATE_FILE = "persist.json";

  /**
   * The largest state file read: 16 MiB, the largest QMP message vmm4j accepts (a sandbox's {@code
   * persist.json} is a few KiB). A larger one, or one that is not a regular file, is refused.
   */
  public static final long MAX_STATE_BYTES = 16L * 1024 * 1024;

  /** What a state file is, in the refusal of a larger one. */
  public static final String STATE_FILE_WHAT = "a state file";

  private final Path root;
  private final FileOps ops;
  private final AtomicFiles files;
  private final OwnedPaths paths;
  private final SandboxDirs sandboxes;

  /** A store at {@code root} on the real file system. */
  public FsStore(Path root) {
    this(root, FileOps.system());
  }

  /** A store at {@code root} whose file-system calls go through {@code ops}. */
  public FsStore(Path root, FileOps ops) {
    this.root = root.toAbsolutePath().normalize();
    this.ops = ops;
    this.files = new AtomicFiles(ops);
    this.paths = new OwnedPaths(this.root, ops);
    this.sandboxes = new SandboxDirs(paths, ops);
  }

  /** A store at {@link #defaultRoot()}. */
  public static FsStore atDefaultRoot() {
    return new FsStore(defaultRoot());
  }

  /**
   * Kata's root: {@code /run/vc} for root; when rootless (not euid 0, or in a user namespace)
   * {@code $XDG_RUNTIME_DIR/run/vc}, or {@code /run/user/<uid>/run/vc} without that variable.
   */
  public static Path defaultRoot() {
    Rootless.Identity id = Rootless.current();
    return defaultRoot(System.getenv(), id.euid(), id.inUserNamespace());
  }

  static Path defaultRoot(Map<String, String> env, long euid, boolean inUserNamespace) {
    if (euid == 0 && !inUserNamespace) {
      return DEFAULT_ROOT;
    }
    String xdg = env.get("XDG_RUNTIME_DIR");
    Path base =
        xdg == null || xdg.isEmpty() ? Path.of("/run/user", Long.toString(euid)) : Path.of(xdg);
    return base.resolve("run/vc");
  }

  public Path root() {
    return root;
  }

  /** {@code <root>/sbs}. */
  public Path sandboxesDir() {
    return root.resolve("sbs");
  }

  /** {@code <root>/sbs/<sid>}. */
  public Path sandboxDir(String sid) {
    return sandboxesDir().resolve(Ids.checkSandboxId(sid));
  }

  /** {@code <root>/vm/<sid>} (not created). */
  public Path vmDir(String sid) {
    return root.resolve("vm").resolve(Ids.checkSandboxId(sid));
  }

  /** Creates {@link #vmDir} (and missing parents), 0700. */
  public Path createVmDir(String sid) {
    return createDirectories(vmDir(sid));
  }

  /**
   * Creates {@code dir}, a directory below the root (the VM directory, the shared directory), and
   * its missing parents, each 0700.
   *
   * @throws UnsafePathException when a component that exists is a link or not the store's to use
   * @throws IllegalArgumentException when {@code dir} is not below the root
   */
  public Path createDirectories(Path dir) {
    String op = "create directory " + dir;
    paths.below(dir);
    try {
      paths.checkStore(op);
      paths.createBelow(op, dir);
    } catch (IOException e) {
      throw new StoreException("create directory", dir, e);
    }
    return dir;
  }

  /**
   * Whether {@code dir}, the root or a directory below it, exists.
   *
   * @throws UnsafePathException when it, or a component on the way, is a link or not the store's to
   *     use
   */
  public boolean directoryExists(Path dir) {
    String op = "look up directory " + dir;
    paths.below(dir);
    try {
      return paths.checkStore(op) && paths.checkBelow(op, dir);
    } catch (IOException e) {
      throw new StoreException("look up directory", dir, e);
    }
  }

  /**
   * Removes {@code dir}, a directory below the root whose contents others make (the VM directory:
   * QEMU's sockets and logs; the shared directory: the guest's files), and everything in it. No
   * link is followed, neither on the way to it (it is refused, as by {@link #directoryExists}) nor
   * in it (links are removed, what they point at stays). Nothing when it does not exist.
   */
  public void removeTree(Path dir) {
    String op = "remove directory " + dir;
    if (paths.below(dir).isEmpty()) {
      throw new IllegalArgumentException(dir + ": not below the store's root " + root);
    }
    try {
      if (paths.checkStore(op) && paths.checkBelow(op, dir)) {
        TreeRemoval.remove(dir.getParent(), dir.getFileName());
      }
    } catch (IOException e) {
      throw new StoreException("remove directory", dir, e);
    }
  }

  /**
   * Saves a sandbox (its id is {@code state.SandboxContainer}, as in Kata) and its containers. The
   * containers' files are written first, then the sandbox's; container directories that {@code
   * containers} no longer has are removed only after the new sandbox file is in place. Nothing is
   * written when an id is invalid or a state cannot be encoded.
   */
  public void save(SandboxState state, Map<String, ContainerState> containers) {
    String sid = Ids.checkSandboxId(state.sandboxContainer());
    Map<String, byte[]> encoded = new TreeMap<>();
    if (containers != null) {
      containers.forEach(
          (cid, c) -> encoded.put(Ids.checkContainerId(cid), PersistCodec.encode(c)));
    }
    byte[] sandbox = PersistCodec.encode(state);
    Path dir = sandboxDir(sid);
    Path at = dir;
    String op = "save sandbox " + sid;
    try {
      paths.checkStore(op);
      sandboxes.check(op, dir);
      paths.createBelow(op, dir);
      for (Map.Entry<String, byte[]> c : encoded.entrySet()) {
        at = dir.resolve(c.getKey());
        paths.createBelow(op, at);
        files.removeStaleTemps(at, STATE_FILE);
        files.write(at.resolve(STATE_FILE), c.getValue());
      }
      at = dir;
      files.removeStaleTemps(dir, STATE_FILE);
      files.write(dir.resolve(STATE_FILE), sandbox);
      sandboxes.removeOtherContainers(op, dir, encoded.keySet());
    } catch (IOException e) {
      throw new StoreException(op + ":", at, e);
    }
  }

  /**
   * Loads a sandbox and its containers (subdirectories without a state file are skipped, as in
   * Kata). Never writes.
   *
   * @throws StateNotFoundException when the sandbox has no state
   * @throws StateFormatException when a file is not valid (its message names the file)
   */
  public StoredSandbox load(String sid) {
    Path dir = sandboxDir(sid);
    Path file = dir.resolve(STATE_FILE);
    String op = "load sandbox " + sid;
    try {
      if (!paths.checkStore(op) || !sandboxes.check(op, dir)) {
        throw new StateNotFoundException(op, file);
      }
      SandboxState sandbox = PersistCodec.decodeSandbox(read(op, file), file.toString());
      Map<String, ContainerState> containers = new TreeMap<>();
      for (Path sub : sandboxes.containerDirs(op, dir)) {
        String cid = sub.getFileName().toString();
        Path cfile = sub.resolve(STATE_FILE);
        if (!paths.checkFile(op, cfile)) {
          continue;
        }
        if (!Ids.isValidId(cid)) {
          throw new StoreException(op, sub, "not a valid container id (" + Ids.ID_PATTERN + ")");
        }
        containers.put(
            cid,
            PersistCodec.decodeContainer(read("load container " + cid, cfile), cfile.toString()));
      }
      return new StoredSandbox(sandbox, containers);
    } catch (IOException e) {
      throw new StoreException(op + ":", dir, e);
    }
  }

  /** Whether the sandbox has a state file. */
  public boolean exists(String sid) {
    Path dir = sandboxDir(sid);
    String op = "look up sandbox " + sid;
    try {
      return paths.checkStore(op)
          && paths.checkBelow(op, dir)
          && paths.checkFile(op, dir.resolve(STATE_FILE));
    } catch (IOException e) {
      throw new StoreException(op + ":", dir, e);
    }
  }

  /**
   * The ids of the sandboxes that have a state file, sorted; sandbox directories or state files
   * that are links or not the store's to use are left out.
   */
  public List<String> list() {
    List<String> ids = new ArrayList<>();
    Path sbs = sandboxesDir();
    String op = "list sandboxes";
    try {
      if (!paths.checkStore(op) || !paths.checkBelow(op, sbs)) {
        return ids;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(sbs)) {
        for (Path sub : entries) {
          String name = sub.getFileName().toString();
          if (Ids.isValidId(name)
              && paths.isOwnDirectory(Inode.lstat(sub))
              && paths.isOwnFile(Inode.lstat(sub.resolve(STATE_FILE)))) {
            ids.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new StoreException(op + ":", sbs, e);
    }
    ids.sort(null);
    return ids;
  }

  /**
   * Removes all state of a sandbox ({@code <root>/sbs/<sid>}; nothing when there is none). The
   * directory is first renamed away in one step, so a reader sees all of it or none of it.
   */
  public void destroy(String sid) {
    Path dir = sandboxDir(sid);
    Path sbs = sandboxesDir();
    String op = "destroy sandbox " + sid;
    try {
      if (!paths.checkStore(op) || !paths.checkBelow(op, sbs)) {
        return; // no sandboxes directory: nothing to destroy
      }
      if (sandboxes.check(op, dir)) {
        Path tomb = sbs.resolve("." + sid + SandboxDirs.TOMBSTONE + System.nanoTime());
        ops.rename(dir, tomb);
        ops.fsyncDirectory(sbs);
      }
      sandboxes.removeTombstones(sbs);
    } catch (IOException e) {
      throw new StoreException(op + ":", dir, e);
    }
  }

  /** {@link #lock(String, boolean, Duration)} with {@link #DEFAULT_LOCK_TIMEOUT}. */
  public StoreLock lock(String sid, boolean exclusive) {
    return lock(sid, exclusive, DEFAULT_LOCK_TIMEOUT);
  }

  /**
   * Locks a sandbox, shared or exclusive, against other threads and processes; works before the
   * sandbox exists.
   *
   * @throws LockTimeoutException when not acquired within {@code timeout}
   */
  public StoreLock lock(String sid, boolean exclusive, Duration timeout) {
    Ids.checkSandboxId(sid);
    Path locks = root.resolve("locks");
    Path file = locks.resolve(sid + ".lock");
    String op = "lock sandbox " + sid;
    StoreLock l;
    try {
      // the sandbox's own directories too: a refusal comes before the lock file is made
      paths.checkStore(op);
      paths.checkBelow(op, sandboxDir(sid));
      paths.checkBelow(op, vmDir(sid));
      paths.createBelow(op, locks);
      paths.checkFile(op, file);
      l = LockTable.INSTANCE.acquire(file, sid, exclusive, timeout);
    } catch (IOException e) {
      throw new StoreException(op + ":", file, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(op + ":", file, "interrupted while waiting");
    }
    if (l == null) {
      throw new LockTimeoutException(sid, exclusive, timeout);
    }
    return l;
  }

  /**
   * {@link #lock(String, boolean, Duration)} of a sandbox that must have a state: without one,
   * nothing is made (no root or lock file). Load the state under the lock: it may go meanwhile.
   *
   * @throws StateNotFoundException when the sandbox has no state
   */
  public StoreLock lockExisting(String sid, boolean exclusive, Duration timeout) {
    if (!exists(sid)) {
      throw new StateNotFoundException("lock sandbox " + sid, sandboxDir(sid).resolve(STATE_FILE));
    }
    return lock(sid, exclusive, timeout);
  }

  /**
   * Writes {@code <root>/<relativePath>} crash-safely (Kata's GlobalWrite, used for ACRN's uuid).
   */
  public void globalWrite(String relativePath, byte[] data) {
    Path file = root.resolve(Ids.checkRelativePath(relativePath));
    String op = "global write";
    try {
      paths.checkStore(op);
      paths.createBelow(op, file.getParent());
      paths.checkFile(op, file);
      files.write(file, data);
    } catch (IOException e) {
      throw new StoreException(op + ":", file, e);
    }
  }

  /** Reads {@code <root>/<relativePath>}. */
  public byte[] globalRead(String relativePath) {
    Path file = root.resolve(Ids.checkRelativePath(relativePath));
    String op = "global read";
    try {
      if (!paths.checkStore(op)
          || !paths.checkBelow(op, file.getParent())
          || !paths.checkFile(op, file)) {
        throw new StateNotFoundException(op, file);
      }
      return read(op, file);
    } catch (IOException e) {
      throw new StoreException(op + ":", file, e);
    }
  }

  /** Reads a checked file; O_NOFOLLOW in case a link took its place. */
  private static byte[] read(String operation, Path file) throws IOException {
    try {
      return InputFiles.read(file, MAX_STATE_BYTES, STATE_FILE_WHAT);
    } catch (NoSuchFileException e) {
      throw new StateNotFoundException(operation, file);
    } catch (InputFileException e) {
      throw new StoreException(operation + ":", file, e.getReason());
    }
  }
}
