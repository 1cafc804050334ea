package io.chat4all.hub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.process.Ports;
import io.minio.MinioClient;
import java.time.Duration;
import java.util.Map;
import org.apache.http.HttpHost;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Each engine indicator says UP against the real engine and DOWN, quickly, when it is unreachable or misconfigured. */
@HubStack({EngineKind.KAFKA, EngineKind.S3, EngineKind.ELASTICSEARCH})
class EngineHealthIndicatorsTest {

    @Test
    void shouldReportKafkaUpWithItsBrokers(TestStack stack) {
        try (KafkaHealthIndicator indicator = kafka(stack.kafkaBootstrapServers())) {
            Health health = indicator.health(true);

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("brokers", 1);
        }
    }

    @Test
    void shouldReportKafkaDownWithinItsTimeoutWhenNoBrokerAnswers() {
        try (KafkaHealthIndicator indicator = kafka("127.0.0.1:" + Ports.freePort())) {
            long t0 = System.nanoTime();
            Health health = indicator.health(true);

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void shouldReportS3UpWhenTheBucketExists(TestStack stack) {
        S3Properties properties = s3(stack, stack.value("S3_SECRET_KEY"), stack.value("S3_BUCKET"));

        Health health = new S3HealthIndicator(client(properties), properties).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldReportS3DownWhenTheBucketIsMissingOrTheSecretIsWrongOrUnset(TestStack stack) {
        S3Properties missingBucket = s3(stack, stack.value("S3_SECRET_KEY"), "no-such-bucket");
        S3Properties wrongSecret = s3(stack, "not-the-secret", stack.value("S3_BUCKET"));
        S3Properties unset = s3(stack, "", stack.value("S3_BUCKET"));

        assertThat(new S3HealthIndicator(client(missingBucket), missingBucket).health(true).getStatus()).isEqualTo(Status.DOWN);
        assertThat(new S3HealthIndicator(client(wrongSecret), wrongSecret).health(true).getStatus()).isEqualTo(Status.DOWN);
        Health unsetHealth = new S3HealthIndicator(client(unset), unset).health(true);
        assertThat(unsetHealth.getStatus()).isEqualTo(Status.DOWN);
        assertThat(unsetHealth.getDetails()).containsEntry("reason", "S3_ACCESS_KEY or S3_SECRET_KEY is not set");
    }

    @Test
    void shouldReportElasticsearchUpOnAGreenOrYellowClusterAndDownWhenUnreachable(TestStack stack) throws Exception {
        try (RestClient up = RestClient.builder(HttpHost.create(stack.elasticsearchUrl())).build();
             RestClient down = RestClient.builder(HttpHost.create("http://127.0.0.1:" + Ports.freePort())).build()) {
            assertThat(new ElasticsearchHealthIndicator(up).health(true).getStatus()).isEqualTo(Status.UP);
            assertThat(new ElasticsearchHealthIndicator(down).health(true).getStatus()).isEqualTo(Status.DOWN);
        }
    }

    private static KafkaHealthIndicator kafka(String bootstrapServers) {
        return new KafkaHealthIndicator(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000)),
                Duration.ofSeconds(3));
    }

    private static S3Properties s3(TestStack stack, String secret, String bucket) {
        return new S3Properties(stack.s3Endpoint(), "us-east-1", stack.value("S3_ACCESS_KEY"), secret, bucket);
    }

    private static MinioClient client(S3Properties properties) {
        MinioClient.Builder builder = MinioClient.builder().endpoint(properties.endpoint()).region(properties.region());
        if (!properties.secretKey().isEmpty()) {
            builder.credentials(properties.accessKey(), properties.secretKey());
        }
        return builder.build();
    }
}
