package io.chat4all.hub.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.SteppingClock;
import io.chat4all.hub.localstack.junit.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Against the real broker: lag without commits for longer than the limit is DEGRADED; progress or no lag is UP. */
@HubStack(EngineKind.KAFKA)
class ConsumerProgressHealthIndicatorTest {

    @Test
    void shouldSayDegradedWhileAGroupHasLagAndCommitsNothingAndUpOnceItMoves(TestStack stack) throws Exception {
        String topic = TestStack.uniqueName("progress");
        String group = TestStack.uniqueName("progress-group");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()),
                     new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, group), new StringDeserializer(), new StringDeserializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "v" + i)).get();
            }
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(2)));
            SteppingClock clock = new SteppingClock(Instant.parse("2026-12-07T10:00:00Z"));
            ConsumerProgressHealthIndicator indicator = new ConsumerProgressHealthIndicator(Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers())), () -> List.of(group),
                    Duration.ofMinutes(2), Duration.ofSeconds(5), clock);
            try (indicator) {
                Health first = indicator.health(true);
                assertThat(first.getStatus()).isEqualTo(Status.UP);
                assertThat(first.getDetails()).containsEntry(group, Map.of("lag", 3L));

                clock.advance(Duration.ofMinutes(3));
                Health stalled = indicator.health(true);
                assertThat(stalled.getStatus()).isEqualTo(ConsumerProgressHealthIndicator.DEGRADED);
                assertThat(stalled.getDetails().get(group).toString()).contains("stalled", topic + "-0", "no_progress_for=180s");

                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(3)));
                clock.advance(Duration.ofMinutes(3));
                assertThat(indicator.health(true).getStatus()).as("it moved, even if it still has lag").isEqualTo(Status.UP);

                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(5)));
                clock.advance(Duration.ofHours(1));
                Health caughtUp = indicator.health(true);
                assertThat(caughtUp.getStatus()).isEqualTo(Status.UP);
                assertThat(caughtUp.getDetails()).containsEntry(group, Map.of("lag", 0L));
            }
        }
    }
}
