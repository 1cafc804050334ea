package io.chat4all.hub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/admin/archive} and {@code GET /v1/admin/jobs/{job_id}} on the gateway alone: the
 * job is queued for the consolidator (which runs it; see the consolidator's tests) and readable.
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AdminJobsTest {

    @Value("${local.server.port}")
    int port;
    private HubApi api;
    private String admin;
    private UUID user;
    private String userToken;

    @BeforeEach
    void users() {
        api = new HubApi(port);
        admin = api.login("admin", "test-admin-password");
        String name = "archived-" + UUID.randomUUID().toString().substring(0, 8);
        user = api.createUser(admin, name, "user-password");
        userToken = api.login(name, "user-password");
    }

    @Test
    void shouldQueueAnArchiveJobAndShowItsProgress() {
        Instant before = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        HubApi.Response queued = api.post("/v1/admin/archive", admin,
                "{\"user_id\":\"" + user + "\",\"older_than\":\"" + before + "\"}");
        assertThat(queued.status()).isEqualTo(202);
        String jobId = queued.body().path("job_id").asString();

        JsonNode job = api.get("/v1/admin/jobs/" + jobId, admin).body();
        assertThat(job.path("job_id").asString()).isEqualTo(jobId);
        assertThat(job.path("kind").asString()).isEqualTo("archive");
        assertThat(job.path("trigger").asString()).isEqualTo("request");
        assertThat(job.path("state").asString()).isEqualTo("queued");
        assertThat(job.path("user_id").asString()).isEqualTo(user.toString());
        assertThat(Instant.parse(job.path("older_than").asString())).isEqualTo(before);
        assertThat(job.path("progress").path("users_done").asInt()).isZero();

        HubApi.Response everyone = api.post("/v1/admin/archive", admin, "{\"older_than\":\"P30D\"}");
        assertThat(everyone.status()).isEqualTo(202);
        JsonNode all = api.get("/v1/admin/jobs/" + everyone.body().path("job_id").asString(), admin).body();
        assertThat(all.path("user_id").isNull() || all.path("user_id").isMissingNode()).isTrue();
        assertThat(Instant.parse(all.path("older_than").asString()))
                .isBetween(Instant.now().minus(31, ChronoUnit.DAYS), Instant.now().minus(29, ChronoUnit.DAYS));
        assertThat(api.post("/v1/admin/archive", admin, "{}").status()).as("defaults: everyone, the hot window").isEqualTo(202);
    }

    @Test
    void shouldRefuseNonAdminsBadInputAndUnknownJobs() {
        assertThat(api.post("/v1/admin/archive", userToken, "{}").status()).isEqualTo(403);
        assertThat(api.get("/v1/admin/jobs/" + UUID.randomUUID(), userToken).status()).isEqualTo(403);
        assertThat(api.post("/v1/admin/archive", null, "{}").status()).isEqualTo(401);
        for (String body : List.of("{\"user_id\":\"nope\"}", "{\"user_id\":\"" + UUID.randomUUID() + "\"}",
                "{\"older_than\":\"yesterday\"}", "{\"older_than\":\"2999-01-01T00:00:00Z\"}", "[1]")) {
            HubApi.Response response = api.post("/v1/admin/archive", admin, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.contentType()).as(body).startsWith("application/problem+json");
        }
        assertThat(api.get("/v1/admin/jobs/" + UUID.randomUUID(), admin).status()).isEqualTo(404);
        assertThat(api.get("/v1/admin/jobs/not-a-uuid", admin).status()).isEqualTo(400);
    }
}
