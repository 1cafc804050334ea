package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.HubService;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.ServiceProcess;
import io.chat4all.hub.localstack.junit.TestStack;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The consolidator killed after uploading an archive object and before recording it (its test
 * hook halts the JVM there), then started again: the job resumes and finishes with the same object
 * key, every row archived once, none lost.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class ArchiveCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldLoseAndDuplicateNothingWhenKilledBetweenUploadAndDelete(TestStack stack) throws Exception {
        Pipeline pipeline = Pipeline.get(stack);
        HubApi api = pipeline.api();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        UUID alice = api.createUser(admin, "arch-alice-" + suffix, "alice-password");
        UUID bob = api.createUser(admin, "arch-bob-" + suffix, "bob-password");
        String aliceToken = api.login("arch-alice-" + suffix, "alice-password");
        String conversation = api.post("/v1/conversations", aliceToken, "{\"type\":\"private\",\"members\":[\"" + bob + "\"]}")
                .body().path("conversation_id").asString();
        for (int i = 1; i <= 30; i++) {
            assertThat(api.post("/v1/messages", aliceToken, "{\"message_id\":\"" + UUID.randomUUID()
                    + "\",\"conversation_id\":\"" + conversation + "\",\"payload\":{\"type\":\"text\",\"text\":\"old " + i
                    + "\"}}").status()).isEqualTo(202);
        }
        await().atMost(WAIT).until(() -> hotRows(stack, alice) == 30);

        Map<String, String> settings = Map.of("CONSOLIDATOR_POLL", "200ms", "CONSOLIDATOR_STALE_AFTER", "3s");
        java.util.HashMap<String, String> crashing = new java.util.HashMap<>(settings);
        crashing.put("CONSOLIDATOR_CRASH_POINT", "AFTER_UPLOAD");
        ServiceProcess consolidator = ServiceProcess.start(HubService.CONSOLIDATOR, stack, crashing);
        String job = api.post("/v1/admin/archive", admin, "{\"user_id\":\"" + alice + "\",\"older_than\":\""
                + Instant.now() + "\"}").body().path("job_id").asString();

        await().atMost(WAIT).until(() -> !consolidator.isAlive());
        List<String> uploaded = objects(stack, alice);
        assertThat(uploaded).as("uploaded before the crash").hasSize(1);
        assertThat(manifest(stack, alice)).as("but not recorded").isEmpty();
        assertThat(hotRows(stack, alice)).as("so nothing left PostgreSQL").isEqualTo(30);
        assertThat(api.get("/v1/admin/jobs/" + job, admin).body().path("state").asString()).isEqualTo("running");

        ServiceProcess restarted = ServiceProcess.start(HubService.CONSOLIDATOR, stack, settings);
        try {
            await().atMost(WAIT).until(() -> "succeeded".equals(api.get("/v1/admin/jobs/" + job, admin).body()
                    .path("state").asString()));
            JsonNode done = api.get("/v1/admin/jobs/" + job, admin).body();
            assertThat(done.path("detail").asString()).contains("interrupted");
            assertThat(done.path("progress").path("rows").asLong()).isEqualTo(30);
            assertThat(objects(stack, alice)).as("the same object key, written again").isEqualTo(uploaded);
            assertThat(manifest(stack, alice)).isEqualTo(uploaded);
            assertThat(hotRows(stack, alice)).isZero();
            try (Connection c = stack.openDatabaseConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT sum(row_count), count(*) FROM archive_ranges WHERE owner_id = ?")) {
                ps.setObject(1, alice);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("every row archived once").isEqualTo(30);
                }
            }
            assertThat(hotRows(stack, bob)).as("bob's own copies are his, untouched").isEqualTo(30);
        } finally {
            restarted.close();
        }
    }

    private static long hotRows(TestStack stack, UUID owner) throws Exception {
        return Pipeline.count(stack, "SELECT count(*) FROM participant_messages WHERE owner_id = ?", owner);
    }

    private static List<String> manifest(TestStack stack, UUID owner) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = stack.openDatabaseConnection();
             PreparedStatement ps = c.prepareStatement("SELECT object_key FROM archive_objects WHERE owner_id = ? ORDER BY 1")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static List<String> objects(TestStack stack, UUID owner) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : stack.s3Client().listObjects(ListObjectsArgs.builder().bucket(stack.value("S3_BUCKET"))
                .prefix("users/" + owner + "/archive/").recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        keys.sort(String::compareTo);
        return keys;
    }
}
