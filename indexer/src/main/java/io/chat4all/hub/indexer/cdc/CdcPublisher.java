package io.chat4all.hub.indexer.cdc;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hands each batch of change events to the CDC topic and tells Debezium it was processed only
 * after Kafka acknowledged every record of the batch ({@code acks=all}). A failure throws: the
 * engine stops without committing, is restarted, and resends from its last stored offset — so the
 * topic gets every change at least once, and the indexer makes repeats harmless.
 */
final class CdcPublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private final Producer<String, String> producer;
    private final String topic;
    private final Duration sendTimeout;
    private final Counter published;

    CdcPublisher(Producer<String, String> producer, String topic, Duration sendTimeout, MeterRegistry meters) {
        this.producer = producer;
        this.topic = topic;
        this.sendTimeout = sendTimeout;
        this.published = Counter.builder("hub.indexer.cdc.events").description("Change events published to the CDC topic")
                .register(meters);
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> record : records) {
            if (isChange(record)) {
                sends.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
            }
        }
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the CDC topic " + topic + " did not take a change event: "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the CDC topic " + topic + " did not acknowledge within " + sendTimeout, e);
            }
        }
        published.increment(sends.size());
        for (ChangeEvent<String, String> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    /** Heartbeats (and anything without a value) only move the offset; they are not published. */
    private static boolean isChange(ChangeEvent<String, String> record) {
        return record.value() != null && record.destination() != null
                && !record.destination().startsWith(DebeziumSettings.HEARTBEAT_TOPIC_PREFIX);
    }
}
