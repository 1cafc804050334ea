package io.chat4all.hub.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Secrets never reach logs. */
class SimulatorPropertiesTest {

    @Test
    void shouldMaskSecretsWhenPrinted() {
        // given
        SimulatorProperties properties = new SimulatorProperties("token-value", true, 10, null, null,
                new SimulatorProperties.WhatsApp(null, "wa-secret-value", null, null),
                new SimulatorProperties.Instagram(null, "ig-secret-value", null));

        // when
        String printed = properties.toString();

        // then
        assertThat(printed).doesNotContain("token-value", "wa-secret-value", "ig-secret-value").contains("<set>");
    }

    @Test
    void shouldFillDefaultsWhenSectionsAreMissing() {
        SimulatorProperties properties = new SimulatorProperties(null, true, 0, null, null, null, null);

        assertThat(properties.accessToken()).isEmpty();
        assertThat(properties.maxRecords()).isEqualTo(100_000);
        assertThat(properties.webhook().maxAttempts()).isEqualTo(6);
        assertThat(properties.instagram().businessId()).isEqualTo("17841400000000000");
    }
}
