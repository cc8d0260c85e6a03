package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.KernelParam;

class KernelParamTest {

  @Test
  void parseSplitsOnWhitespaceAndTheFirstEquals() {
    assertThat(KernelParam.parse("  a=b  quiet\tc=d=e  "))
        .containsExactly(
            new KernelParam("a", "b"), KernelParam.flag("quiet"), new KernelParam("c", "d=e"));
    assertThat(KernelParam.parse("")).isEmpty();
    assertThat(KernelParam.parse("=x")).containsExactly(new KernelParam("", "x"));
  }

  @Test
  void rendersAsKataSerializesParams() {
    assertThat(new KernelParam("a", "b")).hasToString("a=b");
    assertThat(KernelParam.flag("quiet")).hasToString("quiet");
    assertThat(new KernelParam("", "ro")).hasToString("ro");
    assertThat(
            KernelParam.join(List.of(new KernelParam("foo", "foo"), new KernelParam("bar", "bar"))))
        .isEqualTo("foo=foo bar=bar");
  }
}
