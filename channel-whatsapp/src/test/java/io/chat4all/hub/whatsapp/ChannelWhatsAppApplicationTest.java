package io.chat4all.hub.whatsapp;

import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import io.chat4all.hub.localstack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** channel-whatsapp boots against the real engines it uses and reports each of them in its health. */
@HubStack({EngineKind.KAFKA})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChannelWhatsAppApplicationTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUses() {
        ServiceChecks.assertHealthy(port, "kafka");
    }

    @Test
    void shouldCreateTheTopicsItOwns(TestStack stack) {
        ServiceChecks.assertTopicsExist(stack.kafkaBootstrapServers(), Topics.WHATSAPP_STATUS.name());
    }
}
