package org.vmm4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line, in process: exit code and both streams. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Vmm4j.run(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(code, out.toString(), err.toString());
  }
}
