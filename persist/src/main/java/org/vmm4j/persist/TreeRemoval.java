package org.vmm4j.persist;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes a directory tree whose contents others make (QEMU's sockets and logs, the guest's files
 * in a shared directory) without ever following a symbolic link: each directory is opened relative
 * to its parent's open descriptor with {@code O_NOFOLLOW} (openat(2)) and each entry is removed
 * relative to it (unlinkat(2)), so a link, even one swapped in during the walk, is removed and
 * never entered.
 */
final class TreeRemoval {
  private TreeRemoval() {}

  /**
   * Removes {@code name} in directory {@code parent} and everything below it; nothing if absent.
   */
  static void remove(Path parent, Path name) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
      if (!(ds instanceof SecureDirectoryStream<Path> secure)) {
        throw new IOException(
            "remove " + parent.resolve(name) + ": no openat(2)-based directory streams here");
      }
      removeEntry(secure, name);
    }
  }

  private static void removeEntry(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    BasicFileAttributes a;
    try {
      a =
          dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes();
    } catch (NoSuchFileException e) {
      return;
    }
    if (!a.isDirectory()) {
      deleteFile(dir, name);
      return;
    }
    SecureDirectoryStream<Path> child;
    try {
      child = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    } catch (FileSystemException e) {
      deleteFile(dir, name); // no longer a directory (a link, ELOOP; a file, ENOTDIR)
      return;
    }
    try (child) {
      List<Path> names = new ArrayList<>();
      for (Path p : child) {
        names.add(p.getFileName());
      }
      for (Path n : names) {
        removeEntry(child, n);
      }
    }
    try {
      dir.deleteDirectory(name);
    } catch (NoSuchFileException e) {
      // removed meanwhile
    }
  }

  private static void deleteFile(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      dir.deleteFile(name);
    } catch (NoSuchFileException e) {
      // removed meanwhile
    }
  }
}
