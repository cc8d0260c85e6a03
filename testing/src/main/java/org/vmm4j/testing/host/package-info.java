/**
 * A fake host root ({@link org.vmm4j.testing.host.FakeHost}): {@code /proc} files, device nodes and
 * a shell-script QEMU with canned {@code -version}, {@code -help} and {@code -machine help} output,
 * for host checks that must not depend on the machine they run on.
 */
package org.vmm4j.testing.host;
