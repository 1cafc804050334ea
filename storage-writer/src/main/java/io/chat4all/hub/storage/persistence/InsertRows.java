package io.chat4all.hub.storage.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Rows sent as one JDBC batch of an {@code INSERT … VALUES (?, …)} statement, which the driver
 * rewrites into multi-row {@code INSERT}s ({@code reWriteBatchedInserts}): for the small batches of
 * a hub under light load, where a {@code COPY} into a staging table and the statement that merges
 * it cost more than they save. jsonb values are bound as text ({@code ?::jsonb} in the statement).
 */
final class InsertRows implements TableRows {

    private record SqlArray(String type, Object[] values) {
    }

    private final int columns;
    private final List<Object[]> rows = new ArrayList<>();
    private Object[] current;
    private int column;

    InsertRows(int columns) {
        this.columns = columns;
    }

    @Override
    public InsertRows row() {
        current = new Object[columns];
        column = 0;
        rows.add(current);
        return this;
    }

    @Override
    public int rows() {
        return rows.size();
    }

    @Override
    public InsertRows uuid(UUID value) {
        return value(value);
    }

    @Override
    public InsertRows int4(int value) {
        return value(value);
    }

    @Override
    public InsertRows int8(long value) {
        return value(value);
    }

    @Override
    public InsertRows text(String value) {
        return value(value);
    }

    @Override
    public InsertRows jsonb(byte[] utf8) {
        return value(new String(utf8, StandardCharsets.UTF_8));
    }

    @Override
    public InsertRows timestamptz(Instant value) {
        // PostgreSQL would round the sub-microsecond part that binary COPY truncates
        return value(TableRows.sqlTimestamp(value));
    }

    @Override
    public InsertRows textArray(Collection<String> values) {
        return value(new SqlArray("text", values.toArray()));
    }

    @Override
    public InsertRows uuidArray(Collection<UUID> values) {
        return value(new SqlArray("uuid", values.toArray()));
    }

    @Override
    public InsertRows nul() {
        return value(null);
    }

    /** Runs {@code insertSql} (one placeholder per column) once per row, as one batch. */
    void insertInto(Connection connection, String insertSql) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    Object value = row[i] instanceof SqlArray array
                            ? connection.createArrayOf(array.type(), array.values()) : row[i];
                    insert.setObject(i + 1, value);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private InsertRows value(Object value) {
        current[column++] = value;
        return this;
    }
}
