package io.chat4all.hub.router.messaging;

import io.chat4all.hub.autoconfigure.ConsumerErrors;
import io.chat4all.hub.autoconfigure.Fault;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be read, whose processing throws, or whose output cannot be written (too
 * large for the broker, not serializable) goes unchanged (original key and value bytes) to
 * {@code <source topic>-dlt} with the error in headers, and the topology carries on. It is never
 * dropped silently and never stops the router. A retriable broker error on write is retried.
 * Dead letters carry the hub's {@code hub.dlt.reason}/{@code hub.dlt.kind} headers like every
 * other consumer's, and count in {@code hub.consumer.dead.letters}.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler,
        ProductionExceptionHandler {

    public static final String ERROR_CLASS_HEADER = "hub.dlt.error.class";
    public static final String ERROR_MESSAGE_HEADER = "hub.dlt.error.message";
    public static final String SOURCE_HEADER = "hub.dlt.source";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception exception) {
        return DeserializationExceptionHandler.Response.resume(List.of(
                deadLetter(context, record.key(), record.value(), exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        return ProcessingExceptionHandler.Response.resume(List.of(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        log.warn("an output of {}-{}@{} to {} cannot be written", context.topic(), context.partition(),
                context.offset(), record.topic());
        return ProductionExceptionHandler.Response.resume(List.of(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        return ProductionExceptionHandler.Response.resume(List.of(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }

    private static ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
                                                             Exception exception) {
        String target = context.topic() + TopicSpec.DEAD_LETTER_SUFFIX;
        Fault failure = Fault.of(exception);
        String kind = failure.kind().wireName();
        log.warn("dead-lettered {}-{}@{} to {} ({}): {}", context.topic(), context.partition(), context.offset(), target,
                kind, failure.reason());
        // Kafka Streams builds these handlers itself: the registry is the global one Spring Boot feeds.
        Metrics.counter("hub.consumer.dead.letters", "topic", context.topic(), "kind", kind).increment();
        RecordHeaders headers = new RecordHeaders();
        context.headers().forEach(headers::add);
        headers.add(ERROR_CLASS_HEADER, exception.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add(ERROR_MESSAGE_HEADER, String.valueOf(exception.getMessage()).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, (context.topic() + "-" + context.partition() + "@" + context.offset())
                .getBytes(StandardCharsets.UTF_8));
        headers.add(ConsumerErrors.REASON_HEADER, failure.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(ConsumerErrors.KIND_HEADER, kind.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(target, null, context.timestamp(), key, value, headers);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure: the dead-letter topic is always <source topic>-dlt
    }
}
