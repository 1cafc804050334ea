package io.chat4all.hub.storage.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a polled batch in one database transaction. An unreadable record (the
 * ErrorHandlingDeserializer left its error in a header) ends the batch there: the records before
 * it are written, then the error handler sends it to the dead-letter topic and goes on with the
 * rest. A failure of the database fails the whole batch, which is retried.
 */
@Component
class BatchWriter {

    private static final LogAccessor LOG = new LogAccessor(BatchWriter.class);

    private final TransactionTemplate transaction;

    BatchWriter(TransactionTemplate transaction) {
        this.transaction = transaction;
    }

    <V> void write(List<ConsumerRecord<UUID, V>> records, Consumer<List<V>> sink) {
        writeRecords(records, readable -> sink.accept(readable.stream().map(ConsumerRecord::value).toList()));
    }

    /** As {@link #write}, handing the sink the records themselves (their partitions and offsets). */
    <V> void writeRecords(List<ConsumerRecord<UUID, V>> records, Consumer<List<ConsumerRecord<UUID, V>>> sink) {
        List<ConsumerRecord<UUID, V>> readable = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<UUID, V> record = records.get(i);
            DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                    SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
            if (unreadable != null || record.value() == null) {
                writeInTransaction(readable, sink);
                throw new BatchListenerFailedException("unreadable record at " + record.topic() + "-"
                        + record.partition() + "@" + record.offset(),
                        unreadable != null ? unreadable : new DeserializationException("empty value", null, false, null), i);
            }
            readable.add(record);
        }
        writeInTransaction(readable, sink);
    }

    private <V> void writeInTransaction(List<V> values, Consumer<List<V>> sink) {
        if (!values.isEmpty()) {
            transaction.executeWithoutResult(status -> sink.accept(values));
        }
    }
}
