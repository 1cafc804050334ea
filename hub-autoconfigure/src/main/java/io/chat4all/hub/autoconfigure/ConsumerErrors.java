package io.chat4all.hub.autoconfigure;

import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * One service's answer to a record its consumers cannot process (see {@link Fault}):
 * data errors go to {@code <topic>-dlt} at once, unknown errors after
 * {@code hub.consumer.max-attempts}, dependency outages are retried with capped backoff until the
 * engine is back. Every dead letter carries {@value #REASON_HEADER} and {@value #KIND_HEADER}
 * headers (besides Spring Kafka's exception headers), is logged at WARN with its position (never
 * its content) and counted in {@code hub.consumer.dead.letters{topic,kind}}.
 */
public final class ConsumerErrors {

    public static final String REASON_HEADER = "hub.dlt.reason";
    public static final String KIND_HEADER = "hub.dlt.kind";
    static final String METRIC = "hub.consumer.dead.letters";

    private static final Logger log = LoggerFactory.getLogger(ConsumerErrors.class);

    private final DeadLetterPublishingRecoverer recoverer;
    private final MeterRegistry meters;
    private final ConsumerProperties properties;

    public ConsumerErrors(Map<String, Object> producerProperties, MeterRegistry meters, ConsumerProperties properties) {
        this.recoverer = DeadLetters.recoverer(producerProperties);
        this.recoverer.addHeadersFunction(ConsumerErrors::reasonHeaders);
        this.recoverer.setFailIfSendResultIsError(true);
        this.meters = meters;
        this.properties = properties;
    }

    /** The error handler for a listener container factory ({@code factory.setCommonErrorHandler}). */
    public DefaultErrorHandler handler() {
        DefaultErrorHandler handler = new DefaultErrorHandler(this::deadLetter, bounded());
        ExponentialBackOff untilBack = exponential();
        FixedBackOff never = new FixedBackOff(0, 0);
        handler.setBackOffFunction((record, error) -> {
            switch (Fault.of(error).kind()) {
                case DATA:
                    return never;
                case DEPENDENCY:
                    return untilBack;
                default:
                    return null;
            }
        });
        handler.setResetStateOnExceptionChange(true);
        handler.setLogLevel(KafkaException.Level.DEBUG);
        handler.setRetryListeners(new Logging());
        return handler;
    }

    /** Sends {@code record} to its dead-letter topic now (for consumers that settle records themselves). */
    public void deadLetter(ConsumerRecord<?, ?> record, Exception cause) {
        Fault failure = Fault.of(cause);
        recoverer.accept(record, cause);
        Counter.builder(METRIC).description("Records sent to a dead-letter topic, by source topic and failure kind")
                .tag("topic", record.topic()).tag("kind", failure.kind().wireName())
                .register(meters).increment();
        log.warn("dead-lettered {}-{}@{} to {}{} ({}): {}", record.topic(), record.partition(), record.offset(),
                record.topic(), TopicSpec.DEAD_LETTER_SUFFIX, failure.kind().wireName(), failure.reason());
    }

    private BackOff bounded() {
        ExponentialBackOff backOff = exponential();
        backOff.setMaxAttempts(properties.maxAttempts() - 1);
        return backOff;
    }

    private ExponentialBackOff exponential() {
        ExponentialBackOff backOff = new ExponentialBackOff(properties.initialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(properties.maxBackoff().toMillis());
        return backOff;
    }

    private static Headers reasonHeaders(ConsumerRecord<?, ?> record, Exception error) {
        Fault failure = Fault.of(error);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, failure.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(KIND_HEADER, failure.kind().wireName().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** One WARN line per failed attempt, with the position and the reason, never the record's content. */
    private static final class Logging implements RetryListener {

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, Exception error, int attempt) {
            Fault failure = Fault.of(error);
            if (failure.kind() != Fault.Kind.DATA) {
                log.warn("{}-{}@{} failed (attempt {}, {}): {}; retrying", record.topic(), record.partition(),
                        record.offset(), attempt, failure.kind().wireName(), failure.reason());
            }
        }

        @Override
        public void failedDelivery(ConsumerRecords<?, ?> records, Exception error, int attempt) {
            Fault failure = Fault.of(error);
            if (failure.kind() != Fault.Kind.DATA) {
                log.warn("a batch of {} records failed (attempt {}, {}): {}; retrying", records.count(), attempt,
                        failure.kind().wireName(), failure.reason());
            }
        }

        @Override
        public void recoveryFailed(ConsumerRecord<?, ?> record, Exception original, Exception failure) {
            log.warn("{}-{}@{} could not be dead-lettered ({}); it will be retried", record.topic(),
                    record.partition(), record.offset(), Fault.of(failure).reason());
        }
    }
}
