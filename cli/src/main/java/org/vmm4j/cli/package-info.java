/** The vmm4j command (contract: docs/cli.md), a thin picocli shell over core. */
package org.vmm4j.cli;
