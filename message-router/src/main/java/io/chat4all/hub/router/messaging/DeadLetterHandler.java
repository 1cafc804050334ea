package io.chat4all.hub.router.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be read, or whose processing throws, goes unchanged (original key and value
 * bytes) to {@code <source topic>-dlt} with the error in headers, and the topology carries on. It
 * is never dropped silently and never stops the router.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

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

    private static ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
                                                             Exception exception) {
        String target = context.topic() + "-dlt";
        log.error("record {}-{}@{} sent to {}: {}", context.topic(), context.partition(), context.offset(), target,
                exception.toString());
        RecordHeaders headers = new RecordHeaders();
        context.headers().forEach(headers::add);
        headers.add(ERROR_CLASS_HEADER, exception.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add(ERROR_MESSAGE_HEADER, String.valueOf(exception.getMessage()).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, (context.topic() + "-" + context.partition() + "@" + context.offset())
                .getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(target, null, context.timestamp(), key, value, headers);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure: the dead-letter topic is always <source topic>-dlt
    }
}
