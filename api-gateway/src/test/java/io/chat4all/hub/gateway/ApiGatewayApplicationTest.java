package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceChecks;
import io.chat4all.hub.localstack.junit.TestStack;
import java.util.UUID;
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

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void shouldReportUpWithOneIndicatorPerEngineItUses() {
        ServiceChecks.assertHealthy(port, managementPort, "kafka", "db", "s3", "elasticsearch");
    }

    /** Health details (versions, error texts) are an administrator's: anonymous callers get statuses only. */
    @Test
    void shouldShowHealthDetailsToAnAdministratorOnly() {
        HubApi api = new HubApi(port);
        String admin = api.login("admin", "test-admin-password");
        String username = "health-" + UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, username, "a-good-password");
        String user = api.login(username, "a-good-password");
        HubApi management = new HubApi(managementPort);

        assertThat(management.get("/actuator/health", admin).body().at("/components/db/details/database").asString())
                .isEqualTo("PostgreSQL");
        assertThat(management.get("/actuator/health", user).body().at("/components/db/details").isMissingNode()).isTrue();
        assertThat(management.get("/actuator/health", null).body().at("/components/db/details").isMissingNode()).isTrue();
        assertThat(management.get("/actuator/health", null).body().at("/components/db/status").asString()).isEqualTo("UP");
    }

    @Test
    void shouldCreateTheTopicsItOwns(TestStack stack) {
        ServiceChecks.assertTopicsExist(stack.kafkaBootstrapServers(), Topics.MESSAGES_ACCEPTED.name(), Topics.CONVERSATION_CHANGES.name(),
                Topics.USER_CHANGES.name());
    }
}
