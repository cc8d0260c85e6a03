/**
 * The persisted sandbox state in Kata Containers 1.13's schema ({@code persist.json}), its Go-exact
 * JSON encoding, and the crash-safe file store. {@code org.vmm4j.persist.codec} is exported because
 * its annotations ({@code GoField}, {@code GoType}) mark the persisted records here and in modules
 * that persist records of their own; those modules must open their records' packages to this one,
 * whose codec reads them reflectively. The codec's other public types ({@code GoJson}, {@code
 * GoText}, {@code GoJsonException}) are how {@code PersistCodec} drives it, not API: the codec
 * depends on nothing in {@code org.vmm4j.persist}.
 */
module org.vmm4j.persist {
  requires tools.jackson.core;

  exports org.vmm4j.persist;
  exports org.vmm4j.persist.codec;
}
