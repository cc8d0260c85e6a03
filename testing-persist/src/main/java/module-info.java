/**
 * Sample persisted states for tests: {@code SampleStates} and Kata's own files ({@code
 * KataSamples}).
 */
module org.vmm4j.testing.persist {
  requires transitive org.vmm4j.persist;

  exports org.vmm4j.testing.persist;

  opens org.vmm4j.testing.persist;
}
