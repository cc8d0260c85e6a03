/**
 * Kata 1.13's {@code io.katacontainers.*} annotations: {@link
 * org.vmm4j.core.internal.annotations.Annotations} applies them to a {@link
 * org.vmm4j.core.api.RuntimeConfig} behind an anchored name gate and path allowlists ({@link
 * org.vmm4j.core.internal.annotations.Allowlists}), atomically, and validates the result; {@link
 * org.vmm4j.core.api.SandboxSpec#withAnnotations} makes {@link org.vmm4j.core.Sandbox#start} do it
 * and record them. The per-annotation rules live in package-private tables ({@code
 * HypervisorAnnotations}, {@code Assets}, {@code RuntimeAnnotations}).
 */
package org.vmm4j.core.internal.annotations;
