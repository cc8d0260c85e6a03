package org.vmm4j.persist;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the store puts in a sandbox directory {@code <root>/sbs/<sid>}: the state file, temporary
 * files of its writes, and one directory per container, named by its id, holding the container's
 * state file and temporary files. Only those are read, checked and removed: anything else in them
 * stays where it is (and a directory holding it stays too).
 */
final class SandboxDirs {
  /** The mark of a sandbox directory renamed away by {@code destroy}, before it is removed. */
  static final String TOMBSTONE = ".deleting-";

  private static final Pattern TOMBSTONE_NAME =
      Pattern.compile("\\." + Ids.ID_PATTERN + Pattern.quote(TOMBSTONE) + "-?[0-9]+");

  private final OwnedPaths paths;
  private final FileOps ops;

  SandboxDirs(OwnedPaths paths, FileOps ops) {
    this.paths = paths;
    this.ops = ops;
  }

  /**
   * Checks a sandbox directory (every component from the root), its state file, and each container
   * directory in it with its state file.
   *
   * @return whether the directory exists
   * @throws UnsafePathException for the first of them the store may not use
   */
  boolean check(String op, Path dir) throws IOException {
    if (!paths.checkBelow(op, dir)) {
      return false;
    }
    paths.checkFile(op, dir.resolve(FsStore.STATE_FILE));
    for (Path c : containerDirs(op, dir)) {
      paths.checkFile(op, c.resolve(FsStore.STATE_FILE));
    }
    return true;
  }

  /**
   * The subdirectories of a checked sandbox directory, sorted, each checked: its directories, and
   * its links named like a container id (other than the state file), which are refused. Those named
   * like a container id are its containers'.
   */
  List<Path> containerDirs(String op, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : entries(dir)) {
      String name = p.getFileName().toString();
      Inode i = Inode.lstat(p);
      boolean containerLink =
          i != null && i.isLink() && Ids.isValidId(name) && !name.equals(FsStore.STATE_FILE);
      if (i != null && (i.isDirectory() || containerLink) && paths.checkDirectory(op, p)) {
        out.add(p);
      }
    }
    out.sort(null);
    return out;
  }

  /** Removes the container directories of {@code dir} whose ids {@code keep} does not have. */
  void removeOtherContainers(String op, Path dir, Set<String> keep) throws IOException {
    boolean removed = false;
    for (Path sub : containerDirs(op, dir)) {
      String cid = sub.getFileName().toString();
      if (Ids.isValidId(cid) && !keep.contains(cid)) {
        removeOwn(sub, false);
        removed = true;
      }
    }
    if (removed) {
      ops.fsyncDirectory(dir);
    }
  }

  /**
   * Removes the sandbox directories that {@code destroy} renamed away, in a checked {@code sbs}.
   */
  void removeTombstones(Path sbs) throws IOException {
    for (Path t : entries(sbs)) {
      if (TOMBSTONE_NAME.matcher(t.getFileName().toString()).matches()
          && paths.isOwnDirectory(Inode.lstat(t))) {
        removeOwn(t, true);
      }
    }
  }

  /**
   * Removes the state file and temporary files of {@code dir} (regular files only), and with {@code
   * containers} its container directories the same way, then {@code dir} if that emptied it.
   *
   * @return whether {@code dir} is gone
   */
  private boolean removeOwn(Path dir, boolean containers) throws IOException {
    for (Path e : entries(dir)) {
      String name = e.getFileName().toString();
      Inode i = Inode.lstat(e);
      if (i == null) {
        continue;
      }
      if (i.isRegularFile()
          && (name.equals(FsStore.STATE_FILE) || AtomicFiles.isTemp(name, FsStore.STATE_FILE))) {
        ops.delete(e);
      } else if (containers && Ids.isValidId(name) && paths.isOwnDirectory(i)) {
        removeOwn(e, false);
      }
    }
    try {
      ops.delete(dir);
      return true;
    } catch (DirectoryNotEmptyException e) {
      return false; // holds what the store did not make: left as it is
    }
  }

  private static List<Path> entries(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(out::add);
    }
    return out;
  }
}
