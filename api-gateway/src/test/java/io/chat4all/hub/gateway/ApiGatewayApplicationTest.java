package io.chat4all.hub.gateway;

import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import io.chat4all.hub.localstack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** api-gateway boots against the real engines it uses and reports each of them in its health. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.test.context.ActiveProfiles("test")
class ApiGatewayApplicationTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUses() {
        ServiceChecks.assertHealthy(port, "kafka", "db", "s3", "elasticsearch");
    }

    @Test
    void shouldCreateTheTopicsItOwns(TestStack stack) {
        ServiceChecks.assertTopicsExist(stack.kafkaBootstrapServers(), Topics.MESSAGES_ACCEPTED.name(), Topics.CONVERSATION_CHANGES.name(),
                Topics.USER_CHANGES.name());
    }
}
