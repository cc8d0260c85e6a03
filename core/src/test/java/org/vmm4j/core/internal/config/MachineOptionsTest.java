package org.vmm4j.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.AssetConfigs;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.testing.qemu.TestAssets;

/** {@code MachineAccelerators}: QEMU 7.2's key=value syntax, and the keys vmm4j sets. */
class MachineOptionsTest {
  @TempDir Path dir;
  HypervisorConfig base;

  @BeforeEach
  void assets() {
    base = AssetConfigs.initrdConfig(TestAssets.create(dir));
  }

  private void accepted(String options) {
    HypervisorConfig c = base.editKata(k -> k.machineAccelerators(options));
    assertThatCode(() -> ConfigLoader.validate(c, 2)).as(options).doesNotThrowAnyException();
  }

  private void refused(String options, String... text) {
    HypervisorConfig c = base.editKata(k -> k.machineAccelerators(options));
    assertThatThrownBy(() -> ConfigLoader.validate(c, 2))
        .as(options)
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.field()).isEqualTo("MachineAccelerators"))
        .hasMessageStartingWith("HypervisorConfig: MachineAccelerators=")
        .hasMessageContainingAll(text);
  }

  @Test
  void keyValuePairsPass() {
    accepted("smm=off");
    accepted("smm=off,usb=off,dump-guest-core=off");
    accepted("smm=off,"); // QEMU ignores a trailing comma
    accepted(",smm=off"); // vmm4j adds no comma of its own then
    accepted("x-oem-id=a,,b"); // a doubled comma is part of the value
    accepted("nvdimm=on,nvdimm-persistence=cpu");
  }

  @Test
  void bareWordsAreRefused() {
    refused("nosmm,nosmbus,nosata,nopit", "\"nosmm\"", "key=value only", "smm=off");
    refused("smm=off,help", "\"help\"");
    refused("=on", "\"=on\"");
    refused(",,smm=off", "\"\"");
  }

  @Test
  void vmm4jsOwnKeysAreRefused() {
    refused("type=q35", "sets type, which vmm4j sets itself");
    refused("smm=off,accel=kvm", "sets accel");
  }
}
