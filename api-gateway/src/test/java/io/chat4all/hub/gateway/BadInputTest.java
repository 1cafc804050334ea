package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** No input reaches a 500 or a stack trace: every endpoint answers odd bodies with a 4xx problem. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class BadInputTest {

    private static final List<String> BODIES = List.of("", "null", "[]", "{}", "\"text\"", "42", "true", "{\"a\":",
            "{\"message_id\":null,\"payload\":null}", "{\"payload\":{\"type\":42}}", "{\"payload\":\"text\"}",
            "{\"members\":\"x\",\"type\":[]}", "{\"username\":{},\"password\":[]}", "{\"user_id\":\"not-a-uuid\"}",
            "{\"channels\":{},\"metadata\":\"x\"}", "[".repeat(5000), "{\"name\":\"" + "n".repeat(300) + "\"}",
            "{\"payload\":{\"type\":\"encrypted\",\"ciphertext\":\"%%%\",\"nonce\":1,\"alg\":null}}",
            // an id that is an object or an array (found by ./hub bench hostile: Jackson 3 throws on asString())
            "{\"message_id\":{},\"conversation_id\":[1],\"payload\":{\"type\":\"text\",\"text\":\"x\"}}");
    private static final List<String> POSTS = List.of("/v1/auth/token", "/v1/users", "/v1/api-keys", "/v1/conversations",
            "/v1/conversations/" + UUID.randomUUID() + "/members", "/v1/messages");
    private static final List<String> GETS = List.of("/v1/conversations?limit=abc", "/v1/conversations?cursor=%00",
            "/v1/conversations/" + UUID.randomUUID() + "/messages?after_seq=x",
            "/v1/conversations/" + UUID.randomUUID() + "/messages?before_seq=-5", "/v1/messages/123",
            "/v1/messages/" + UUID.randomUUID() + "/status", "/v1/users/me/extra",
            // a blank id (found by ./hub bench hostile: WebFlux called it a server error)
            "/v1/conversations/%20", "/v1/messages/%20", "/v1/messages/%20/status", "/v1/files/%20",
            "/v1/conversations/%20/messages");

    @Value("${local.server.port}")
    int port;

    @Test
    void shouldAnswerEveryOddRequestWithAClientErrorProblem() {
        HubApi api = new HubApi(port);
        String admin = api.login("admin", "test-admin-password");
        for (String path : POSTS) {
            for (String body : BODIES) {
                assertClientError(api.post(path, admin, body), "POST " + path + " " + abbreviate(body));
            }
        }
        for (String path : GETS) {
            assertClientError(api.get(path, admin), "GET " + path);
        }
    }

    private static void assertClientError(HubApi.Response response, String what) {
        assertThat(response.status()).as(what).isBetween(400, 499);
        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        assertThat(response.raw()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static String abbreviate(String body) {
        return body.length() > 40 ? body.substring(0, 40) + "…" : body;
    }
}
