package org.vmm4j.persist;

/** A top-level persisted document: a sandbox's or a container's {@code persist.json}. */
public sealed interface PersistedState permits SandboxState, ContainerState {}
