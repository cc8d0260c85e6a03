/**
 * Implementation of the configuration side of {@code core}: Kata's defaults and validation rules
 * for {@link org.vmm4j.core.HypervisorConfig}, the field table of the JSON form and its codec, and
 * the mapping of a Kata 1.13 {@code configuration.toml}. Callers use {@link
 * org.vmm4j.core.HypervisorConfig#validate()} and {@link org.vmm4j.core.ConfigLoader}.
 */
package org.vmm4j.core.internal.config;
