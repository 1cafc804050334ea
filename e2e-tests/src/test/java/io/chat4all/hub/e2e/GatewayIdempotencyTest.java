package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.process.Ports;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Idempotency of {@code POST /v1/messages} holds across gateway instances and restarts, and a
 * gateway that cannot reach Kafka accepts nothing: 503 with Retry-After.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class GatewayIdempotencyTest {

    @Test
    void shouldAnswerTheSameReceiptFromASecondInstanceAndAfterARestartAndStoreTheMessageOnce(TestStack stack)
            throws Exception {
        Pipeline pipeline = Pipeline.get(stack);
        ServiceProcess second = ServiceProcess.start(HubService.API_GATEWAY, stack, Pipeline.gatewayEnvironment("2"));
        HubApi first = pipeline.api();
        HubApi other = new HubApi(second.url());
        Pipeline.Chat chat = Pipeline.privateChat(first);
        String ana = chat.token();
        String conversation = chat.conversation();
        String body = "{\"message_id\":\"" + UUID.randomUUID() + "\",\"conversation_id\":\"" + conversation
                + "\",\"payload\":{\"type\":\"text\",\"text\":\"exactly once\"}}";

        HubApi.Response viaFirst = first.post("/v1/messages", ana, body);
        HubApi.Response viaSecond = other.post("/v1/messages", other.login(chat.username(), "ana-password"), body);
        second.kill();
        second.start();
        HubApi.Response afterRestart = other.post("/v1/messages", ana, body);

        assertThat(viaFirst.status()).isEqualTo(202);
        assertThat(viaSecond.status()).isEqualTo(202);
        assertThat(afterRestart.status()).isEqualTo(202);
        assertThat(viaSecond.body()).isEqualTo(viaFirst.body());
        assertThat(afterRestart.body()).isEqualTo(viaFirst.body());
        await().atMost(Duration.ofSeconds(60)).until(() -> count(stack, conversation) == 1);
        UUID sentinel = UUID.randomUUID();
        first.post("/v1/messages", ana, body.replaceFirst("\"message_id\":\"[^\"]+\"", "\"message_id\":\"" + sentinel + "\""));
        await().atMost(Duration.ofSeconds(60)).until(() -> count(stack, conversation) == 2);
        second.stop();
    }

    @Test
    void shouldRefuseWith503AndAcceptNothingWhenKafkaIsUnreachable(TestStack stack) {
        Pipeline pipeline = Pipeline.get(stack);
        Map<String, String> environment = Pipeline.gatewayEnvironment("3");
        environment.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.freePort());
        ServiceProcess cutOff = ServiceProcess.start(HubService.API_GATEWAY, stack, environment, "/actuator/health/liveness");
        try {
            HubApi healthy = pipeline.api();
            HubApi api = new HubApi(cutOff.url());
            Pipeline.Chat chat = Pipeline.privateChat(healthy);
            String ana = chat.token();
            String conversation = chat.conversation();
            UUID messageId = UUID.randomUUID();

            HubApi.Response refused = api.post("/v1/messages", ana, "{\"message_id\":\"" + messageId
                    + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"lost?\"}}");

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.retryAfter()).isNotBlank();
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(healthy.get("/v1/messages/" + messageId, ana).status()).as("not accepted").isEqualTo(404);
            assertThat(new HubApi(cutOff.managementUrl()).get("/actuator/health/readiness", null).status())
                    .as("not ready without Kafka").isEqualTo(503);
        } finally {
            cutOff.stop();
        }
    }

    private static long count(TestStack stack, String conversation) throws Exception {
        try (Connection c = stack.openDatabaseConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM messages WHERE conversation_id = ?::uuid")) {
            s.setString(1, conversation);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
