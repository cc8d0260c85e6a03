/**
 * Checks on a module's compiled classes: {@link org.vmm4j.testing.modules.PackageCycles}, the
 * package cycles {@code jdeps} finds.
 */
package org.vmm4j.testing.modules;
