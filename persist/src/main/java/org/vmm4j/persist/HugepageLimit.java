package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * runc {@code configs.HugepageLimit}.
 *
 * <p>Go type: {@code configs.HugepageLimit}.
 */
public record HugepageLimit(
    @GoField("page_size") String pageSize,
    @GoField(value = "limit", type = GoType.UINT64) long limit) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public HugepageLimit {
    Objects.requireNonNull(pageSize, "page_size");
  }
}
