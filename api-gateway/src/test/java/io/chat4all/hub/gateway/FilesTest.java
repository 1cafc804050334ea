package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.gateway.files.FileUploads;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.FileUploadClient;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Attachments through presigned multipart uploads against the real S3 server of the test stack:
 * the test PUTs the bytes itself, straight to the presigned URLs, as a client would.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class FilesTest {

    @Value("${local.server.port}")
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    FileUploads uploads;

    private HubApi api;
    private String aliceToken;
    private String carolToken;
    private UUID carolId;

    @BeforeEach
    void users() {
        api = new HubApi(port);
        String admin = api.login("admin", "test-admin-password");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        api.createUser(admin, "alice-" + suffix, "alice-password");
        carolId = api.createUser(admin, "carol-" + suffix, "carol-password");
        aliceToken = api.login("alice-" + suffix, "alice-password");
        carolToken = api.login("carol-" + suffix, "carol-password");
    }

    @Test
    void shouldUploadInThreePartsStraightToStorageVerifyAndServeItToItsUploaderOnly() {
        byte[] content = randomBytes(11 << 20);
        JsonNode started = start("report.pdf", content.length, "application/pdf", sha256(content));
        assertThat(started.path("part_size").asLong()).isEqualTo(5 << 20);
        assertThat(started.path("parts")).hasSize(3);

        List<String> etags = putParts(started, content);
        HubApi.Response completed = complete(started, etags);

        assertThat(completed.status()).as(completed.raw()).isEqualTo(200);
        assertThat(completed.body().path("status").asString()).isEqualTo("available");
        String fileId = started.path("file_id").asString();
        HubApi.Response mine = api.get("/v1/files/" + fileId, aliceToken);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().path("size").asLong()).isEqualTo(content.length);
        byte[] downloaded = FileUploadClient.download(mine.body().path("download_url").asString());
        assertThat(Arrays.equals(downloaded, content)).as("downloaded bytes are the uploaded ones").isTrue();
        assertThat(api.get("/v1/files/" + fileId, carolToken).status()).as("not the uploader, never sent").isEqualTo(404);
        assertThat(complete(started, etags).status()).as("completing again answers the same").isEqualTo(200);
    }

    @Test
    void shouldAcceptAFileMessageOnlyForAnAvailableFileTheSenderMaySend() {
        byte[] content = randomBytes(1024);
        JsonNode started = start("note.txt", content.length, "text/plain", sha256(content));
        String fileId = started.path("file_id").asString();
        String conversation = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\""
                + carolId + "\"]}").body().path("conversation_id").asString();

        HubApi.Response beforeComplete = api.post("/v1/messages", aliceToken, fileMessage(conversation, fileId));
        assertThat(beforeComplete.status()).isEqualTo(400);
        assertThat(beforeComplete.body().path("errors").get(0).path("field").asString()).isEqualTo("payload.file_id");

        assertThat(complete(started, putParts(started, content)).status()).isEqualTo(200);
        assertThat(api.post("/v1/messages", aliceToken, fileMessage(conversation, fileId)).status()).isEqualTo(202);
        assertThat(api.post("/v1/messages", carolToken, fileMessage(conversation, fileId)).status())
                .as("carol has not received it yet (nothing routed in this test): she may not send it").isEqualTo(400);
        assertThat(api.post("/v1/messages", aliceToken, fileMessage(conversation, UUID.randomUUID().toString())).status())
                .isEqualTo(400);
    }

    private static String fileMessage(String conversation, String fileId) {
        return "{\"message_id\":\"" + UUID.randomUUID() + "\",\"conversation_id\":\"" + conversation
                + "\",\"payload\":{\"type\":\"file\",\"file_id\":\"" + fileId + "\",\"caption\":\"the notes\"}}";
    }

    /** A part URL carries its length in its signature: a URL for 1 MiB cannot store 5 MiB. */
    @Test
    void shouldBindEachPartUrlToItsLengthAndHandOutFreshOnes() throws Exception {
        byte[] content = randomBytes(6 << 20);
        JsonNode started = start("clip.mp4", content.length, "video/mp4", sha256(content));
        Instant partsExpireAt = Instant.parse(started.path("parts_expire_at").asString());
        assertThat(partsExpireAt).isBefore(Instant.now().plus(Duration.ofMinutes(16)))
                .isBefore(Instant.parse(started.path("expires_at").asString()));
        String lastPart = started.path("parts").get(1).path("url").asString();

        // the storage refuses it (403, or it hangs up while the client still sends): either way not stored
        assertThat(put(lastPart, Arrays.copyOf(content, 5 << 20))).as("5 MiB through the 1 MiB part's URL")
                .isIn(403, -1);
        assertThat(put(lastPart, Arrays.copyOfRange(content, 5 << 20, 6 << 20))).isEqualTo(200);

        String fileId = started.path("file_id").asString();
        HubApi.Response fresh = api.post("/v1/files/" + fileId + "/parts", aliceToken, "{\"part_numbers\":[1, 2]}");
        assertThat(fresh.status()).as(fresh.raw()).isEqualTo(200);
        assertThat(fresh.body().path("parts").get(0).path("part_number").asInt()).isEqualTo(1);
        assertThat(api.post("/v1/files/" + fileId + "/parts", aliceToken, "{\"part_numbers\":[3]}").status()).isEqualTo(400);
        assertThat(api.post("/v1/files/" + fileId + "/parts", carolToken, "{\"part_numbers\":[1]}").status())
                .as("not the uploader").isEqualTo(404);
        assertThat(complete(fresh.body(), putParts(fresh.body(), content)).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseInvisibleFormattingInFilenamesAndEncodeOtherNamesForDownload() {
        String sha = "a".repeat(64);
        for (String tricky : List.of("invoice\u202Efdp.exe", "a\u2066b.txt", "zero\u200Bwidth.txt", "line\u2028break.txt",
                "bell\u0007.txt", "c1\u0085.txt")) {
            HubApi.Response refused = api.post("/v1/files", aliceToken, request(tricky, 10, "text/plain", sha));
            assertThat(refused.status()).as(tricky).isEqualTo(400);
            assertThat(refused.body().path("errors").get(0).path("field").asString()).isEqualTo("filename");
        }

        byte[] content = "olá".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String name = "relatório \"final\" ✓.txt";
        String id = client().upload(name, "text/plain", content);
        String url = api.get("/v1/files/" + id, aliceToken).body().path("download_url").asString();
        java.net.http.HttpResponse<byte[]> download;
        try {
            download = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
                .contains("filename=\"relat_rio _final_ _.txt\"")
                .contains("filename*=UTF-8''relat%C3%B3rio%20%22final%22%20%E2%9C%93.txt");
    }

    /** The storage's answer to a PUT, or -1 when it closed the connection before answering in full. */
    private static int put(String url, byte[] body) throws Exception {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void shouldRefuseAWrongChecksumAndKeepTheFileUnusable() {
        byte[] content = randomBytes(6 << 20);
        byte[] other = randomBytes(16);
        JsonNode started = start("photo.jpg", content.length, "image/jpeg", sha256(other));

        HubApi.Response completed = complete(started, putParts(started, content));

        assertThat(completed.status()).isEqualTo(409);
        assertThat(completed.body().path("detail").asString()).contains("SHA-256");
        JsonNode file = api.get("/v1/files/" + started.path("file_id").asString(), aliceToken).body();
        assertThat(file.path("status").asString()).isEqualTo("rejected");
        assertThat(file.path("download_url").isMissingNode() || file.path("download_url").isNull()).isTrue();
    }

    @Test
    void shouldRefuseACompletionWithAPartThatWasNeverUploaded() {
        byte[] content = randomBytes(11 << 20);
        JsonNode started = start("video.mp4", content.length, "video/mp4", sha256(content));
        List<String> etags = new ArrayList<>(putParts(started, Arrays.copyOf(content, 10 << 20)));
        etags.add("\"0123456789abcdef0123456789abcdef\"");

        HubApi.Response completed = complete(started, etags);

        assertThat(completed.status()).isEqualTo(400);
        assertThat(completed.body().path("detail").asString()).contains("part 3 was never uploaded");
    }

    @Test
    void shouldBoundSizeAndContentTypeAndRefusePathTricks() {
        String sha = "a".repeat(64);
        HubApi.Response twoGib = api.post("/v1/files", aliceToken, request("big.zip", 2L << 30, "application/zip", sha));
        assertThat(twoGib.status()).as("exactly 2 GiB is allowed").isEqualTo(201);
        long partSize = twoGib.body().path("part_size").asLong();
        assertThat(partSize).isGreaterThanOrEqualTo(5L << 20);
        assertThat(twoGib.body().path("parts")).hasSize((int) (((2L << 30) + partSize - 1) / partSize))
                .hasSizeLessThanOrEqualTo(10_000);
        assertThat(api.post("/v1/files", aliceToken, request("big.zip", (2L << 30) + 1, "application/zip", sha)).status())
                .isEqualTo(413);
        assertThat(api.post("/v1/files", aliceToken, request("run.sh", 10, "application/x-sh", sha)).status())
                .isEqualTo(415);
        HubApi.Response path = api.post("/v1/files", aliceToken, request("../../etc/passwd", 10, "text/plain", sha));
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.body().path("errors").get(0).path("field").asString()).isEqualTo("filename");
        assertThat(api.post("/v1/files", aliceToken, request("a.txt", 10, "text/plain", "not-a-sha")).status())
                .isEqualTo(400);
    }

    @Test
    void shouldAbortAnUploadNobodyCompletedBeforeItsExpiry() {
        JsonNode started = start("late.txt", 100, "text/plain", "b".repeat(64));
        String fileId = started.path("file_id").asString();
        jdbc.update("UPDATE files SET expires_at = now() - interval '1 minute' WHERE file_id = ?::uuid", fileId);

        uploads.abortExpired(100);

        assertThat(jdbc.queryForObject("SELECT state FROM files WHERE file_id = ?::uuid", String.class, fileId))
                .isEqualTo("expired");
        HubApi.Response late = api.post("/v1/files/" + fileId + "/complete", aliceToken,
                "{\"parts\":[{\"part_number\":1,\"etag\":\"x\"}]}");
        assertThat(late.status()).as("an expired upload cannot be completed").isEqualTo(409);
        assertThat(late.body().path("detail").asString()).contains("expired");
        // (s3proxy's filesystem backend keeps taking parts for an aborted upload id, unlike S3 and
        // MinIO, which answer NoSuchUpload: so the storage side is not asserted here.)
    }


    private JsonNode start(String name, long size, String type, String sha) {
        return client().start(name, size, type, sha);
    }

    private List<String> putParts(JsonNode started, byte[] content) {
        return client().putParts(started, content);
    }

    private HubApi.Response complete(JsonNode started, List<String> etags) {
        return client().complete(started, etags);
    }

    private FileUploadClient client() {
        return new FileUploadClient(api, aliceToken);
    }

    private static String sha256(byte[] content) {
        return FileUploadClient.sha256(content);
    }

    private static String request(String name, long size, String type, String sha) {
        return "{\"filename\":" + HubApi.JSON.writeValueAsString(name) + ",\"size\":" + size + ",\"content_type\":\"" + type
                + "\",\"sha256\":\""
                + sha + "\"}";
    }



    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

}
