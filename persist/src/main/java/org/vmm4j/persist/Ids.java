package org.vmm4j.persist;

import java.util.regex.Pattern;

/**
 * Names that reach the file system, checked before they touch it: sandbox and container ids match
 * {@value #ID_PATTERN}; a store-relative path is {@code /}-joined components, none empty, {@code .}
 * or {@code ..}, without a leading {@code /}.
 */
public final class Ids {
  /** The pattern every sandbox and container id matches. */
  public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  private static final Pattern ID = Pattern.compile(ID_PATTERN);

  private Ids() {}

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * @return {@code id}
   * @throws InvalidNameException when it does not match {@value #ID_PATTERN}
   */
  public static String checkSandboxId(String id) {
    return check("sandbox id", id);
  }

  /**
   * @return {@code id}
   * @throws InvalidNameException when it does not match {@value #ID_PATTERN}
   */
  public static String checkContainerId(String id) {
    return check("container id", id);
  }

  private static String check(String what, String id) {
    if (!isValidId(id)) {
      throw new InvalidNameException(what, String.valueOf(id), "must match " + ID_PATTERN);
    }
    return id;
  }

  /**
   * Checks a path relative to the store's root ({@code uuid/uuid.json}).
   *
   * @return {@code path}
   * @throws InvalidNameException for a leading {@code /}, an empty, {@code .} or {@code ..}
   *     component, or a NUL character
   */
  public static String checkRelativePath(String path) {
    if (path == null || path.isEmpty()) {
      throw new InvalidNameException("relative path", String.valueOf(path), "must not be empty");
    }
    if (path.startsWith("/")) {
      throw new InvalidNameException("relative path", path, "must not start with /");
    }
    if (path.indexOf('\0') >= 0) {
      throw new InvalidNameException("relative path", path, "must not contain NUL");
    }
    for (String c : path.split("/", -1)) {
      if (c.isEmpty() || c.equals(".") || c.equals("..")) {
        throw new InvalidNameException(
            "relative path", path, "component \"" + c + "\" is empty, . or ..");
      }
    }
    return path;
  }
}
