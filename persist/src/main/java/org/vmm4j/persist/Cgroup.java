package org.vmm4j.persist;

import java.util.Map;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * runc {@code configs.Cgroup}: cgroup settings; {@code Resources} is an embedded pointer (its
 * fields appear inline, none when null).
 *
 * <p>Go type: {@code configs.Cgroup}.
 */
public record Cgroup(
    @GoField(value = "name", omitEmpty = true) String name,
    @GoField(value = "parent", omitEmpty = true) String parent,
    @GoField("path") String path,
    @GoField("scope_prefix") String scopePrefix,
    @GoField("Paths") Map<String, String> paths,
    @GoField(value = "Resources", pointer = true, embedded = true) CgroupResources resources) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public Cgroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(scopePrefix, "scope_prefix");
    paths = Copies.map(paths);
  }
}
