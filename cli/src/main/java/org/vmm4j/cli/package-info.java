/** The vmm4j command (contract: CLI.md), a thin picocli shell over core. */
package org.vmm4j.cli;
