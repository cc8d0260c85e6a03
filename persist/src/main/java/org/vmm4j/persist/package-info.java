/**
 * The persisted sandbox state in Kata 1.13's schema (SandboxState, ContainerState, DeviceState and
 * the types they embed), its Go-exact JSON codec, and the crash-safe file store.
 */
package org.vmm4j.persist;
