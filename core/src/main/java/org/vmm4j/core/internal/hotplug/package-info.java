/**
 * The model of a running sandbox and its transactions. {@link
 * org.vmm4j.core.internal.hotplug.TxRunner} runs one: the store lock, the state read, the {@link
 * org.vmm4j.core.internal.hotplug.SandboxModel} restored once (PCI topology, block indexes, the
 * device manager, the endpoints), the work, one save. A {@link org.vmm4j.core.internal.hotplug.Tx}
 * holds the model, QEMU's constants ({@link org.vmm4j.core.internal.hotplug.QemuFacts}, asked for
 * when a step first needs them), the deadlines and one {@link
 * org.vmm4j.core.internal.hotplug.UndoLog} for every step of every flow: a step that changes QEMU,
 * the host or the model registers its undo at once, a failure undoes them newest first, and an undo
 * that fails fences what stayed so that the saved state says what QEMU has.
 *
 * <p>The flows: disks ({@link org.vmm4j.core.internal.hotplug.BlockPlug}), VFIO groups ({@link
 * org.vmm4j.core.internal.hotplug.VfioPlug}), vhost-user devices ({@link
 * org.vmm4j.core.internal.hotplug.VhostUserPlug}), NICs on a tap ({@link
 * org.vmm4j.core.internal.hotplug.NicPlug}) and network endpoints ({@link
 * org.vmm4j.core.internal.hotplug.EndpointAttacher}, {@link
 * org.vmm4j.core.internal.hotplug.NetworkPlugs}, {@link
 * org.vmm4j.core.internal.hotplug.LaunchNetwork}), vCPUs ({@link
 * org.vmm4j.core.internal.hotplug.CpuPlug}), memory ({@link
 * org.vmm4j.core.internal.hotplug.MemoryPlug}), containers' devices ({@link
 * org.vmm4j.core.internal.hotplug.ContainerPlugs}). Every plugged thing is one {@link
 * org.vmm4j.core.internal.hotplug.DeviceRecord} read out of the persisted schema by {@link
 * org.vmm4j.core.internal.hotplug.DeviceTable} (a memory device's QEMU id, which the schema has no
 * place for, is asked of QEMU when a listing or an unplug needs it), and every kind unplugs through
 * {@link org.vmm4j.core.internal.hotplug.Unplug}: {@code device_del}, {@code DEVICE_DELETED} within
 * its deadline and then {@code qom-list} for the truth, the backends deleted newest first.
 */
package org.vmm4j.core.internal.hotplug;
