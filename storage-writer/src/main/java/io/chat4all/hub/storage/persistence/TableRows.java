package io.chat4all.hub.storage.persistence;

import java.time.Instant;
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

    TableRows timestamptz(Instant value);

    /** A one-dimensional {@code text[]} without NULL elements. */
    TableRows textArray(Collection<String> values);

    /** A one-dimensional {@code uuid[]} without NULL elements. */
    TableRows uuidArray(Collection<UUID> values);

    /** SQL NULL, in a column of any type. */
    TableRows nul();
}
