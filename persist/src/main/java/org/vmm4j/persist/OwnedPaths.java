package org.vmm4j.persist;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's rule for what it uses below its root: it follows no symbolic link it did not create,
 * and uses only directories and files that the running user (or root) owns and that group and
 * others cannot write. The root itself may be a link, if the running user or root owns the link;
 * what it leads to must be such a directory. Every operation checks, with lstat(2), each component
 * from the root down to what it touches. Since only a checked directory's owner can change what is
 * in it, what was checked is what is then used: a less privileged user has no window to swap a link
 * in. A directory the store makes is 0700, checked again right after mkdir(2). A refusal is an
 * {@link UnsafePathException}, thrown before anything is written or removed.
 */
final class OwnedPaths {
  /** The directories under the root: states, VM directories, lock files, shared directories. */
  static final List<String> TOP_LEVEL = List.of("sbs", "vm", "locks", "shared");

  private static final long EUID = Rootless.effectiveUid();

  private final Path root;
  private final FileOps ops;

  OwnedPaths(Path root, FileOps ops) {
    this.root = root;
    this.ops = ops;
  }

  /** Whether {@code i} is a directory, not a link, that the store may use. */
  boolean isOwnDirectory(Inode i) {
    return i != null && i.isDirectory() && trusted(i) && !i.writableByOthers();
  }

  /** Whether {@code i} is a regular file, not a link, that the store may use. */
  boolean isOwnFile(Inode i) {
    return i != null && i.isRegularFile() && trusted(i) && !i.writableByOthers();
  }

  /**
   * Checks the root and those of {@link #TOP_LEVEL} that exist.
   *
   * @return whether the root exists
   * @throws UnsafePathException for the first one the store may not use
   */
  boolean checkStore(String op) throws IOException {
    if (!checkRoot(op)) {
      return false;
    }
    for (String name : TOP_LEVEL) {
      checkDirectory(op, root.resolve(name));
    }
    return true;
  }

  /**
   * Checks every component of {@code dir} below the root (call {@link #checkStore} first).
   *
   * @return whether {@code dir} exists (false at the first component that does not)
   */
  boolean checkBelow(String op, Path dir) throws IOException {
    Path p = root;
    for (Path name : below(dir)) {
      p = p.resolve(name);
      if (!checkDirectory(op, p)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes {@code dir} (the root or below it) and whatever of it is missing, each 0700 and made
   * durable in its parent, checking every component that exists and every one it makes.
   */
  void createBelow(String op, Path dir) throws IOException {
    if (!checkRoot(op)) {
      createOutside(root);
      if (!checkRoot(op)) {
        throw new NoSuchFileException(root.toString(), null, "gone right after it was made");
      }
    }
    Path p = root;
    for (Path name : below(dir)) {
      Path parent = p;
      p = p.resolve(name);
      if (checkDirectory(op, p)) {
        continue;
      }
      boolean made = false;
      try {
        ops.createDirectory(p);
        made = true;
      } catch (FileAlreadyExistsException e) {
        // made meanwhile (by another thread or process of this user): checked below
      }
      if (!checkDirectory(op, p)) {
        throw new NoSuchFileException(p.toString(), null, "gone right after it was made");
      }
      if (made) {
        ops.fsyncDirectory(parent);
      }
    }
  }

  /**
   * Checks a directory whose parent was checked.
   *
   * @return whether it exists
   */
  boolean checkDirectory(String op, Path dir) throws IOException {
    Inode i = Inode.lstat(dir);
    if (i == null) {
      return false;
    }
    check(op, i, i.isDirectory(), "a directory");
    return true;
  }

  /**
   * Checks a file whose directory was checked.
   *
   * @return whether it exists
   */
  boolean checkFile(String op, Path file) throws IOException {
    Inode i = Inode.lstat(file);
    if (i == null) {
      return false;
    }
    check(op, i, i.isRegularFile(), "a regular file");
    return true;
  }

  /**
   * The components of {@code dir} below the root, outermost first (none for the root).
   *
   * @throws IllegalArgumentException when {@code dir} is not the root or below it
   */
  List<Path> below(Path dir) {
    if (!dir.isAbsolute() || !dir.normalize().equals(dir) || !dir.startsWith(root)) {
      throw new IllegalArgumentException(dir + ": not below the store's root " + root);
    }
    List<Path> names = new ArrayList<>();
    if (!dir.equals(root)) {
      root.relativize(dir).forEach(names::add);
    }
    return names;
  }

  private boolean checkRoot(String op) throws IOException {
    Inode at = lstatRoot(op);
    if (at == null) {
      return false;
    }
    if (at.isLink()) {
      if (!trusted(at)) {
        throw new UnsafePathException(
            op, root, at.describe() + "; a link at the root must be owned by " + owners());
      }
      Inode target = Inode.stat(root);
      if (target == null) {
        throw new UnsafePathException(op, root, at.describe() + " that leads nowhere");
      }
      at = target;
    }
    check(op, at, at.isDirectory(), "a directory");
    return true;
  }

  /**
   * lstat(2) of the root; a root below something that is not a directory (lstat fails with {@code
   * ENOTDIR}) is refused naming that ancestor. Above the root links are followed.
   */
  private Inode lstatRoot(String op) throws IOException {
    try {
      return Inode.lstat(root);
    } catch (FileSystemException e) {
      Path p = root.getRoot();
      for (Path name : root) {
        p = p.resolve(name);
        Inode i = Inode.stat(p);
        if (i == null || p.equals(root)) {
          break;
        }
        if (!i.isDirectory()) {
          throw new UnsafePathException(
              op, root, "its ancestor " + p + " is " + i.describe() + ", not a directory");
        }
      }
      throw e;
    }
  }

  private void check(String op, Inode i, boolean rightType, String expected) {
    if (i.isLink()) {
      throw new UnsafePathException(
          op, i.path(), i.describe() + "; the store follows no symbolic link below its root");
    }
    if (!rightType) {
      throw new UnsafePathException(op, i.path(), i.describe() + ", not " + expected);
    }
    if (!trusted(i) || i.writableByOthers()) {
      throw new UnsafePathException(
          op,
          i.path(),
          i.describe()
              + "; it must be owned by "
              + owners()
              + " and not writable by group or others");
    }
  }

  private static boolean trusted(Inode i) {
    return i.uid() == EUID || i.uid() == 0;
  }

  private static String owners() {
    return EUID == 0 ? "root (uid 0)" : "uid " + EUID + " (the user running this) or root";
  }

  /** The root and its missing ancestors, each 0700 and made durable in its parent. */
  private void createOutside(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createOutside(parent);
    }
    try {
      ops.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      return; // made meanwhile, or a link: the caller checks
    }
    if (parent != null) {
      ops.fsyncDirectory(parent);
    }
  }
}
