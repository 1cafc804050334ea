package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A text over the threshold is stored once in object storage and read back whole by every member. */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class LargeTextTest {

    @Test
    void shouldStoreA40KibTextOnceForAGroupOfFiveAndGiveEveryMemberTheWholeText(TestStack stack) throws Exception {
        HubApi api = Pipeline.get(stack).api();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<UUID> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.createUser(admin, "member" + i + "-" + suffix, "password-" + i));
            tokens.add(api.login("member" + i + "-" + suffix, "password-" + i));
        }
        StringBuilder members = new StringBuilder();
        for (UUID id : ids.subList(1, 5)) {
            members.append(members.length() == 0 ? "" : ",").append('"').append(id).append('"');
        }
        String conversation = api.post("/v1/conversations", tokens.get(0), "{\"type\":\"group\",\"name\":\"big\","
                + "\"members\":[" + members + "]}").body().path("conversation_id").asString();
        String text = "Relatório trimestral — ".repeat(2_000).substring(0, 40 * 1024 - 7) + " fim ✓";
        UUID messageId = UUID.randomUUID();
        String body = "{\"message_id\":\"" + messageId + "\",\"conversation_id\":\"" + conversation
                + "\",\"payload\":{\"type\":\"text\",\"text\":" + HubApi.JSON.writeValueAsString(text) + "}}";

        HubApi.Response first = api.post("/v1/messages", tokens.get(0), body);
        assertThat(first.status()).isEqualTo(202);
        assertThat(textObjects(stack, ids.get(0))).as("written once, before the 202").hasSize(1);

        for (String token : tokens) {
            JsonNode[] message = new JsonNode[1];
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                JsonNode page = api.get("/v1/conversations/" + conversation + "/messages", token).body().path("messages");
                message[0] = page.isEmpty() ? null : page.get(0);
                return message[0] != null;
            });
            assertThat(message[0].path("payload").path("text").asString()).isEqualTo(text);
            assertThat(message[0].path("payload").has("ref")).as("the reference stays inside the hub").isFalse();
        }
        assertThat(api.get("/v1/messages/" + messageId, tokens.get(3)).body().path("payload").path("text").asString())
                .isEqualTo(text);

        HubApi.Response resend = api.post("/v1/messages", tokens.get(0), body);
        assertThat(resend.status()).isEqualTo(202);
        assertThat(resend.body()).isEqualTo(first.body());
        assertThat(textObjects(stack, ids.get(0))).as("a resend creates nothing new").hasSize(1);
    }

    private static List<String> textObjects(TestStack stack, UUID sender) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : stack.s3Client().listObjects(ListObjectsArgs.builder().bucket(stack.value("S3_BUCKET"))
                .prefix("users/" + sender + "/texts/").recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }
}
