/**
 * Network endpoints through vmm4j with the test guest: a veth set up in a namespace the way a CNI
 * plugin would, attached at launch and hot-plugged in both interworking models, seen and used by
 * the guest, detached from this and from another process, and the namespace given back exactly.
 */
package org.vmm4j.it.net;
