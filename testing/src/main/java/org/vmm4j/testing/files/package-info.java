/**
 * Files that are not what a reader expects (FIFOs, links to devices, huge sparse files), for tests
 * of how vmm4j refuses them; a small tmpfs to fill up (a full state root). Persist's own tests keep
 * their copy: the testing module depends on persist, so persist's tests cannot use it.
 */
package org.vmm4j.testing.files;
