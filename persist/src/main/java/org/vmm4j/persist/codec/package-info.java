/**
 * Implementation of the Go-exact JSON codec: the {@link org.vmm4j.persist.codec.GoField} annotation
 * that declares each schema record's Go field (JSON key, integer kind, pointer, omitempty,
 * embedded), the codecs derived from it by reflection, Go's string escaping, and the strict reader
 * that reports the JSON path of every problem. Not API: use {@link org.vmm4j.persist.PersistCodec}.
 */
package org.vmm4j.persist.codec;
