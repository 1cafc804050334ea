package io.chat4all.hub.storage.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.UUID;

/**
 * Rows for one table, built value by value in its column order, then written in one go: by binary
 * {@code COPY} ({@link BinaryCopy}) for a large batch, by one multi-row {@code INSERT}
 * ({@link InsertRows}) for a small one. The code that turns events into rows is the same for both.
 */
interface TableRows {

    /** Starts a row; exactly one value per column must follow. */
    TableRows row();

    int rows();

    TableRows uuid(UUID value);

    TableRows int4(int value);

    TableRows int8(long value);

    TableRows text(String value);

    /** A jsonb value from its UTF-8 text (serialized once, shared by every row that has it). */
    TableRows jsonb(byte[] utf8);

    /** A time, truncated to PostgreSQL's microseconds (both forms: a row's time never depends on how it was written). */
    TableRows timestamptz(Instant value);

    /** The JDBC value of a time, truncated to microseconds as {@link #timestamptz} stores it; null stays null. */
    static Timestamp sqlTimestamp(Instant value) {
        return value == null ? null : Timestamp.from(value.truncatedTo(ChronoUnit.MICROS));
    }

    /** A one-dimensional {@code text[]} without NULL elements. */
    TableRows textArray(Collection<String> values);

    /** A one-dimensional {@code uuid[]} without NULL elements. */
    TableRows uuidArray(Collection<UUID> values);

    /** SQL NULL, in a column of any type. */
    TableRows nul();
}
