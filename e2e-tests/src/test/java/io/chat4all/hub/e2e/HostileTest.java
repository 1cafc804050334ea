package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.bench.HostileScenario;
import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hostile barrage with fewer requests (the full one is {@code ./hub bench hostile}): generated
 * hostile requests over every operation of the OpenAPI document and the WhatsApp webhook, then a
 * canary that must still be stored, streamed and searchable.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class HostileTest {

    @Test
    void shouldAnswerEveryHostileRequestWithoutA5xxOrALeakAndStillDeliverTheCanary(TestStack stack) {
        Pipeline pipeline = Pipeline.get(stack);
        pipeline.indexer(stack);
        Channels channels = Channels.get(stack);
        Endpoints endpoints = new Endpoints(pipeline.gatewayUrl(), Map.of("channel-whatsapp",
                new Endpoints.Service(channels.whatsapp.url(), channels.whatsapp.managementUrl() + "/actuator/health",
                        channels.whatsapp.managementUrl())), Map.of(),
                new Endpoints.Admin("admin", Pipeline.ADMIN_PASSWORD), Map.of());

        Map<String, Object> figures = new HostileScenario(endpoints, Map.of("requests", "3000")).barrage();

        System.out.println("hostile: " + figures);
        assertThat(((Number) figures.get("requests")).intValue()).isGreaterThan(2_500);
        assertThat(figures.get("server_errors")).as("5xx answers; samples: %s", figures.get("samples")).isEqualTo(0L);
        assertThat(figures.get("stack_traces")).isEqualTo(0L);
        assertThat(figures.get("cross_user_reads")).isEqualTo(0L);
        assertThat(figures.get("cross_user_writes")).isEqualTo(0L);
        assertThat(figures.get("canary")).isEqualTo(Map.of("accepted_status", 202, "streamed", true, "stored", true,
                "searchable", true, "arrived", true));
    }
}
