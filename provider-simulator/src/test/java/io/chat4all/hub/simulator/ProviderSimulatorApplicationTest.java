package io.chat4all.hub.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The service's own endpoints: health, readiness, metrics. */
class ProviderSimulatorApplicationTest extends SimulatorIntegrationTest {

    @Test
    void shouldReportUpAndReadyWhenStarted() {
        assertThat(simulator().get("/actuator/health").json().path("status").stringValue()).isEqualTo("UP");
        assertThat(simulator().get("/actuator/health/readiness").json().path("status").stringValue()).isEqualTo("UP");
        assertThat(simulator().get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void shouldExposePrometheusMetricsButNotOtherEndpoints() {
        assertThat(simulator().get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(simulator().get("/actuator/env").status()).isEqualTo(404);
    }
}
