package io.chat4all.hub.localstack.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic of the test stack's broker from its start, with a fresh consumer group, until the
 * wanted events arrived; {@link #settled} then keeps reading a little longer, for tests that
 * assert nothing more came (a duplicate).
 */
public final class TopicEvents<V> implements AutoCloseable {

    private final KafkaConsumer<Object, V> consumer;
    private final Predicate<V> wanted;
    private final List<V> found = new ArrayList<>();

    private TopicEvents(TestStack stack, String topic, Deserializer<V> values, Predicate<V> wanted) {
        @SuppressWarnings("unchecked")
        Deserializer<Object> anyKey = (Deserializer<Object>) (Deserializer<?>) (t, data) -> data;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, TestStack.uniqueName("test-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), anyKey, values);
        this.consumer.subscribe(List.of(topic));
        this.wanted = wanted;
    }

    /** A reader of {@code topic} that keeps the values {@code wanted} accepts. */
    public static <V> TopicEvents<V> of(TestStack stack, String topic, Deserializer<V> values, Predicate<V> wanted) {
        return new TopicEvents<>(stack, topic, values, wanted);
    }

    /** Reads until at least {@code count} wanted values arrived (30 s at most) and returns them all. */
    public List<V> await(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (found.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " wanted events within 30 s, got " + found.size()
                        + ": " + found);
            }
            poll();
        }
        return List.copyOf(found);
    }

    /** Reads on for {@code quiet} more and returns everything wanted so far. */
    public List<V> settled(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            poll();
        }
        return List.copyOf(found);
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (wanted.test(r.value())) {
                found.add(r.value());
            }
        });
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
