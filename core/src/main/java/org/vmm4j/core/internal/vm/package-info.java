/**
 * Implementation of {@link org.vmm4j.core.Sandbox}'s life cycle, split by concern: process handling
 * ({@link org.vmm4j.core.internal.vm.HostProcess}, {@link org.vmm4j.core.internal.vm.ProcStat}),
 * the launch sequence ({@link org.vmm4j.core.internal.vm.Launcher}, {@link
 * org.vmm4j.core.internal.vm.Virtiofsd}, {@link org.vmm4j.core.internal.vm.VhostVsock}),
 * supervision ({@link org.vmm4j.core.internal.vm.Supervisor}), stop ({@link
 * org.vmm4j.core.internal.vm.Stopper}, {@link org.vmm4j.core.internal.vm.Teardown}), the persisted
 * state ({@link org.vmm4j.core.internal.vm.SandboxStates}) and reattaching ({@link
 * org.vmm4j.core.internal.vm.Reattach}, {@link org.vmm4j.core.internal.vm.QmpAttach}). Callers use
 * {@link org.vmm4j.core.Sandbox}.
 */
package org.vmm4j.core.internal.vm;
