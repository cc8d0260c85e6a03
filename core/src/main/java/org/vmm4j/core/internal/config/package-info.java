/**
 * The configuration behind {@link org.vmm4j.core.ConfigLoader}: loading ({@link
 * org.vmm4j.core.internal.config.Configs}: vmm4j's JSON form, Kata 1.13's {@code
 * configuration.toml}, a {@code persist.json}), Kata's defaults and validation rules for {@link
 * org.vmm4j.core.api.HypervisorConfig}, its fields read off its two records ({@link
 * org.vmm4j.core.internal.config.ConfigFields}) for the JSON form, and Kata's keys ({@link
 * org.vmm4j.core.internal.config.KataKeys}: each field's {@code configuration.toml} key and
 * hypervisor annotation).
 */
package org.vmm4j.core.internal.config;
