package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.FileUploadClient;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An attachment through the whole hub: uploaded in parts straight to object storage, sent in a
 * message, and readable by the conversation's members (through their copy of the message) only.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class FileMessagesTest {

    @Test
    void shouldLetMembersDownloadAFileSentToThemAndNobodyElse(TestStack stack) {
        HubApi api = Pipeline.get(stack).api();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, "ana-" + suffix, "ana-password");
        UUID bruno = api.createUser(admin, "bruno-" + suffix, "bruno-password");
        api.createUser(admin, "dora-" + suffix, "dora-password");
        String ana = api.login("ana-" + suffix, "ana-password");
        String brunoToken = api.login("bruno-" + suffix, "bruno-password");
        String dora = api.login("dora-" + suffix, "dora-password");
        String conversation = api.post("/v1/conversations", ana, "{\"type\":\"private\",\"members\":[\"" + bruno + "\"]}")
                .body().path("conversation_id").asString();
        byte[] content = new byte[11 << 20];
        ThreadLocalRandom.current().nextBytes(content);

        String fileId = new FileUploadClient(api, ana).upload("contract.pdf", "application/pdf", content);
        assertThat(api.get("/v1/files/" + fileId, brunoToken).status()).as("not sent to bruno yet").isEqualTo(404);
        HubApi.Response sent = api.post("/v1/messages", ana, "{\"message_id\":\"" + UUID.randomUUID()
                + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"file\",\"file_id\":\"" + fileId
                + "\",\"caption\":\"signed copy\"}}");
        assertThat(sent.status()).isEqualTo(202);

        JsonNode[] file = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            HubApi.Response response = api.get("/v1/files/" + fileId, brunoToken);
            file[0] = response.body();
            return response.status() == 200;
        });
        assertThat(file[0].path("filename").asString()).isEqualTo("contract.pdf");
        assertThat(Arrays.equals(FileUploadClient.download(file[0].path("download_url").asString()), content))
                .as("bruno downloads exactly the uploaded bytes").isTrue();
        JsonNode history = api.get("/v1/conversations/" + conversation + "/messages", brunoToken).body().path("messages");
        assertThat(history.get(0).path("payload").path("file_id").asString()).isEqualTo(fileId);
        assertThat(history.get(0).path("payload").path("caption").asString()).isEqualTo("signed copy");
        assertThat(api.get("/v1/files/" + fileId, dora).status()).as("not a member: as if it did not exist").isEqualTo(404);
    }
}
