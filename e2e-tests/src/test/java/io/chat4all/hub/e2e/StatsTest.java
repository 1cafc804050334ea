package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubApi;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/admin/stats} against counts taken straight from the engines. Tolerance: none for
 * what Kafka, the archive manifest and Elasticsearch count (the same numbers, read twice); the
 * stored count is PostgreSQL's statistics, compared once they have caught up (within the wait).
 */
@HubStack({EngineKind.KAFKA, EngineKind.POSTGRES, EngineKind.S3, EngineKind.ELASTICSEARCH})
class StatsTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldReportWhatTheEnginesCount(TestStack stack) throws Exception {
        Pipeline pipeline = Pipeline.get(stack);
        pipeline.indexer(stack);
        HubApi api = pipeline.api();
        String admin = api.login("admin", Pipeline.ADMIN_PASSWORD);
        Pipeline.Chat chat = Pipeline.privateChat(api);
        for (int i = 0; i < 20; i++) {
            assertThat(api.post("/v1/messages", chat.token(), "{\"message_id\":\"" + UUID.randomUUID()
                    + "\",\"conversation_id\":\"" + chat.conversation() + "\",\"payload\":{\"type\":\"text\",\"text\":\"stats "
                    + i + "\"}}").status()).isEqualTo(202);
        }
        await().atMost(WAIT).until(() -> api.get("/v1/conversations/" + chat.conversation() + "/messages?limit=50",
                chat.token()).body().path("messages").size() == 20);
        UUID ana = UUID.fromString(api.get("/v1/users/me", chat.token()).body().path("user_id").asString());

        try (SseClient stream = SseClient.open(pipeline.gatewayUrl(), chat.token(), null)) {
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode stats = stats(api, admin);
                assertThat(stats.path("unavailable")).isEmpty();
                JsonNode messages = stats.path("messages");
                assertThat(messages.at("/accepted/total").asLong()).isEqualTo(endOffsets(stack, "messages.accepted"));
                assertThat(messages.at("/stored/total").asLong())
                        .isEqualTo(Pipeline.count(stack, "SELECT count(*) FROM messages"));
                assertThat(messages.at("/indexed/total").asLong()).isEqualTo(indexed(stack));
                // the 20 were sent within the hour; the last minute may be past them by now
                assertThat(messages.at("/accepted/per_second_last_hour").asDouble()).isPositive();
                assertThat(messages.at("/accepted/per_second_last_minute").isNumber()).isTrue();
                assertThat(stats.at("/rate_windows/last_hour_seconds").asLong()).isPositive();
                assertThat(stats.path("realtime_connections").asInt()).isPositive();
                assertThat(stats.path("realtime")).anySatisfy(instance ->
                        assertThat(instance.path("connections").asInt()).isPositive());
                assertThat(stats.path("cdc_slots")).anySatisfy(slot -> {
                    assertThat(slot.path("slot").asString()).isEqualTo("chat4all_indexer");
                    assertThat(slot.path("active").asBoolean()).isTrue();
                });
                // caught up: on topics written in transactions a partition's last offset can be the
                // commit marker after its last record, which no consumer ever commits past (≤ 1 per partition)
                assertThat(stats.path("consumer_lag")).anySatisfy(lag -> {
                    assertThat(lag.path("group").asString()).isEqualTo("storage-routed");
                    assertThat(lag.path("topic").asString()).isEqualTo("messages.routed");
                    assertThat(lag.path("lag").asLong()).isLessThanOrEqualTo(partitions(stack, "messages.routed"));
                });
                assertThat(stats.path("consumer_lag")).anySatisfy(lag -> {
                    assertThat(lag.path("group").asString()).isEqualTo("chat4all-router");
                    assertThat(lag.path("topic").asString()).isEqualTo("messages.accepted");
                    assertThat(lag.path("lag").asLong()).as("the gateway does not write in transactions").isZero();
                });
                for (Map.Entry<String, JsonNode> dead : stats.path("dead_letters").properties()) {
                    assertThat(dead.getKey()).endsWith("-dlt");
                    assertThat(dead.getValue().asLong()).isEqualTo(endOffsets(stack, dead.getKey()));
                }
                JsonNode storage = stats.path("storage");
                for (String engine : List.of("postgres_bytes", "kafka_bytes", "elasticsearch_bytes")) {
                    assertThat(storage.path(engine).asLong()).as(engine).isPositive();
                }
            });
        }

        long archivedBefore = stats(api, admin).at("/messages/archived/total").asLong();
        long copies = Pipeline.count(stack, "SELECT count(*) FROM participant_messages WHERE owner_id = ?", ana);
        pipeline.archiveNow(stack, admin, ana, 1_000, WAIT);
        JsonNode after = stats(api, admin);
        assertThat(after.at("/messages/archived/total").asLong()).isEqualTo(archivedBefore + copies);
        assertThat(after.at("/storage/archived_object_bytes").asLong()).isPositive();
        assertThat(after.at("/archive_jobs/succeeded").asLong()).isPositive();

        String ana2 = api.login(chat.username(), "ana-password");
        assertThat(api.get("/v1/admin/stats", ana2).status()).isEqualTo(403);
    }

    private static JsonNode stats(HubApi api, String admin) {
        HubApi.Response response = api.get("/v1/admin/stats", admin);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private static long endOffsets(TestStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartitionInfo partition : admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions()) {
                latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    private static long partitions(TestStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
        }
    }

    private static long indexed(TestStack stack) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.elasticsearchUrl()
                + "/messages/_count")).build(), HttpResponse.BodyHandlers.ofString());
        return HubApi.JSON.readTree(response.body()).path("count").asLong();
    }
}
