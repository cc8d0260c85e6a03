/**
 * Implementation of {@link org.vmm4j.core.Sandbox}'s life cycle, split by concern: process handling
 * ({@link org.vmm4j.core.vm.HostProcess}, {@link org.vmm4j.core.vm.ProcStat}), the launch sequence
 * ({@link org.vmm4j.core.vm.Launcher}, {@link org.vmm4j.core.vm.Virtiofsd}, {@link
 * org.vmm4j.core.vm.VhostVsock}), supervision ({@link org.vmm4j.core.vm.Supervisor}), stop ({@link
 * org.vmm4j.core.vm.Stopper}, {@link org.vmm4j.core.vm.Teardown}), the persisted state ({@link
 * org.vmm4j.core.vm.SandboxStates}) and reattaching ({@link org.vmm4j.core.vm.Reattach}, {@link
 * org.vmm4j.core.vm.QmpAttach}). Callers use {@link org.vmm4j.core.Sandbox}.
 */
package org.vmm4j.core.vm;
