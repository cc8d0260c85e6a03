/**
 * Implementation of the configuration side of {@code core}: Kata's defaults and validation rules
 * for {@link org.vmm4j.core.api.HypervisorConfig}, its fields read from its two records ({@link
 * org.vmm4j.core.internal.config.ConfigFields}) for the JSON form and its codec, and Kata's keys
 * ({@link org.vmm4j.core.internal.config.KataKeys}: the {@code configuration.toml} keys and the
 * hypervisor annotations of each field) with the mapping of a Kata 1.13 {@code configuration.toml}.
 * Callers use {@link org.vmm4j.core.api.HypervisorConfig#validate()} and {@link
 * org.vmm4j.core.ConfigLoader}.
 */
package org.vmm4j.core.internal.config;
