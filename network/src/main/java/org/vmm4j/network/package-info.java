/**
 * Network endpoints (veth, tap, tuntap, macvtap, vhost-user, physical), their interworking models,
 * and the rtnetlink layer they are built on.
 */
package org.vmm4j.network;
