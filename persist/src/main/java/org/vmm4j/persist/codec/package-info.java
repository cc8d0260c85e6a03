/**
 * Implementation of the Go-exact JSON codec: the {@link org.vmm4j.persist.codec.GoField} annotation
 * that declares each schema record's Go field (JSON key, integer kind, pointer, omitempty,
 * embedded), the codecs derived from it by reflection, Go's string escaping, and the strict reader
 * that reports the JSON path of every problem. It knows Go's built-in kinds only; the types Go
 * writes as strings ({@code net.IP}, {@code time.Time}, a PCI path) are mapped by the module that
 * owns them ({@link org.vmm4j.persist.codec.GoText}), so nothing here depends on {@code
 * org.vmm4j.persist}. Not API: use {@code org.vmm4j.persist.PersistCodec}.
 */
package org.vmm4j.persist.codec;
