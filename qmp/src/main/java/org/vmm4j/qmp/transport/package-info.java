/**
 * The byte level under the QMP client: a unix-domain socket (junixsocket) that can carry file
 * descriptors in the same {@code sendmsg} as the bytes they belong to, and a line splitter with a
 * size limit. Implementation detail of {@code org.vmm4j.qmp}; nothing here knows JSON or QMP.
 */
package org.vmm4j.qmp.transport;
