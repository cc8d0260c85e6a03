/**
 * The {@code vmm4j} command: picocli commands over core's API (it uses no internal package of
 * core), one process per invocation, finding sandboxes through their persisted state. picocli reads
 * the commands' annotated fields reflectively, and logback makes the converters named in
 * logback.xml, hence the {@code opens}.
 */
module org.vmm4j.cli {
  requires org.vmm4j.core;
  requires org.vmm4j.testguest;
  requires info.picocli;
  requires tools.jackson.databind;
  requires org.slf4j;
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;

  opens org.vmm4j.cli to
      info.picocli,
      ch.qos.logback.core;
}
