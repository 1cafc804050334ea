package io.chat4all.hub.storage.messaging;

import io.chat4all.hub.autoconfigure.Fault;
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
 * Writes a polled batch in one database transaction, and when it fails, names the record that
 * failed so the error handler (ConsumerErrors) can treat that record alone:
 * <ul>
 *   <li>an unreadable record (the ErrorHandlingDeserializer left its error in a header) ends the
 *       batch there: the records before it are written first;</li>
 *   <li>a failed batch that is not an outage (PostgreSQL refused some row: U+0000 in jsonb, a value
 *       out of range) is halved until the first record that fails on its own is found; every
 *       record before it is written on the way, and that record alone is dead-lettered;</li>
 *   <li>an outage (connection lost, database shutting down) names the batch's first unwritten
 *       record, which is then retried until the database is back.</li>
 * </ul>
 * The records after the named one are polled again and written as usual: one bad record costs
 * a few extra transactions, and never stops the partition.
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
        for (ConsumerRecord<UUID, V> record : records) {
            DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                    SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
            if (unreadable != null || record.value() == null) {
                writeOrName(readable, sink);
                throw new BatchListenerFailedException("unreadable record at " + position(record),
                        unreadable != null ? unreadable : new DeserializationException("empty value", null, false, null),
                        record);
            }
            readable.add(record);
        }
        writeOrName(readable, sink);
    }

    /** Writes {@code batch}, or throws naming the first record of it that cannot be written. */
    private <V> void writeOrName(List<ConsumerRecord<UUID, V>> batch, Consumer<List<ConsumerRecord<UUID, V>>> sink) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            transaction.executeWithoutResult(status -> sink.accept(batch));
        } catch (RuntimeException e) {
            if (batch.size() == 1 || Fault.of(e).kind() == Fault.Kind.DEPENDENCY) {
                throw new BatchListenerFailedException("cannot write " + position(batch.get(0)), e, batch.get(0));
            }
            int half = batch.size() / 2;
            writeOrName(batch.subList(0, half), sink);
            writeOrName(batch.subList(half, batch.size()), sink);
            LOG.info(() -> "a batch from " + position(batch.get(0)) + " failed whole and was written in parts ("
                    + Fault.of(e).reason() + ")");
        }
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
