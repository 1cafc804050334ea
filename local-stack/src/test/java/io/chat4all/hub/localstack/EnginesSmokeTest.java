package io.chat4all.hub.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.minio.GetObjectArgs;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Each engine of the stack, exercised for real. */
@HubStack
class EnginesSmokeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldProduceAndConsumeThroughKafkaWithTransactionsAvailable(TestStack stack) throws Exception {
        String topic = TestStack.uniqueName("smoke");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestStack.uniqueName("tx"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.commitTransaction();
        }

        List<String> values = new ArrayList<>();
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestStack.uniqueName("group"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < 10 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        assertThat(values).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }

    @Test
    void shouldRunSqlOnDurableLogicalReplicationReadyPostgres(TestStack stack) throws Exception {
        String schema = stack.newSchema("smoke");
        try (Connection c = stack.openDatabaseConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + schema + ".notes (id bigint PRIMARY KEY, body text NOT NULL)");
            s.execute("INSERT INTO " + schema + ".notes VALUES (1, 'olá'), (2, 'hello')");
            try (ResultSet rs = s.executeQuery("SELECT string_agg(body, ',' ORDER BY id) FROM " + schema + ".notes")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("olá,hello");
            }
            assertThat(setting(s, "wal_level")).isEqualTo("logical");
            assertThat(setting(s, "fsync")).isEqualTo("on");
            assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(s, "server_version_num")).startsWith("17");
        }
    }

    private static String setting(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void shouldPutAndGetAnObjectThroughTheS3Api(TestStack stack) throws Exception {
        String bucket = stack.newBucket("smoke");
        byte[] body = "an attachment".getBytes(StandardCharsets.UTF_8);
        stack.s3Client().putObject(PutObjectArgs.builder().bucket(bucket).object("a/b/c.txt")
                .stream(new ByteArrayInputStream(body), body.length, -1).contentType("text/plain").build());

        try (InputStream in = stack.s3Client().getObject(GetObjectArgs.builder().bucket(bucket).object("a/b/c.txt").build())) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void shouldIndexAndSearchInElasticsearch(TestStack stack) throws Exception {
        String index = TestStack.uniqueName("smoke");
        String base = stack.elasticsearchUrl() + "/" + index;
        assertThat(send("PUT", base, "{\"settings\":{\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"text\":{\"type\":\"text\",\"analyzer\":\"standard\"}}}}").statusCode())
                .isEqualTo(200);
        assertThat(send("PUT", base + "/_doc/1?refresh=true", "{\"text\":\"Your order has shipped\"}").statusCode())
                .isEqualTo(201);
        send("PUT", base + "/_doc/2?refresh=true", "{\"text\":\"Payment received\"}");

        HttpResponse<String> found = send("POST", base + "/_search", "{\"query\":{\"match\":{\"text\":\"shipped\"}}}");

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"value\":1").contains("\"_id\":\"1\"").doesNotContain("\"_id\":\"2\"");
    }

    @Test
    void shouldExposeEveryConnectionVariableTheServicesRead(TestStack stack) {
        assertThat(stack.connection().keySet()).containsAll(Set.of("POSTGRES_URL", "POSTGRES_USER", "POSTGRES_PASSWORD",
                "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET", "S3_REGION",
                "ELASTICSEARCH_URL"));
        assertThat(System.getProperty("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(stack.kafkaBootstrapServers());
    }

    private static HttpResponse<String> send(String method, String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
