package io.chat4all.hub.storage.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, sent with {@code COPY … FROM STDIN (FORMAT binary)}:
 * the server neither parses nor plans anything per row, which is what makes {@code COPY} the fastest
 * way in. Only the types the history uses are written; one instance builds one {@code COPY}.
 *
 * <p>Format (PostgreSQL docs, "COPY", binary format): an 11-byte signature, flags and header
 * extension length (both 0), then per row the field count (int16) and per field its length (int32,
 * -1 for NULL) and bytes, and the trailer -1 (int16). Values use each type's binary
 * send/receive form: big-endian integers, uuid as 16 bytes, timestamptz as microseconds since
 * 2000-01-01 UTC, jsonb as version byte 1 followed by its text, arrays with a small header.
 */
final class BinaryCopy implements TableRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int TEXT_OID = 25;
    private static final int UUID_OID = 2950;

    private final Bytes out = new Bytes(64 * 1024);
    private final short fields;
    private int rows;

    BinaryCopy(int fields) {
        this.fields = (short) fields;
        out.write(SIGNATURE, 0, SIGNATURE.length);
        int32(0);
        int32(0);
    }

    @Override
    public BinaryCopy row() {
        int16(fields);
        rows++;
        return this;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public BinaryCopy uuid(UUID value) {
        if (value == null) {
            return nul();
        }
        int32(16);
        int64(value.getMostSignificantBits());
        int64(value.getLeastSignificantBits());
        return this;
    }

    @Override
    public BinaryCopy int4(int value) {
        int32(4);
        int32(value);
        return this;
    }

    @Override
    public BinaryCopy int8(long value) {
        int32(8);
        int64(value);
        return this;
    }

    @Override
    public BinaryCopy text(String value) {
        if (value == null) {
            return nul();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    @Override
    public BinaryCopy jsonb(byte[] utf8) {
        int32(utf8.length + 1);
        out.write(1);
        out.write(utf8, 0, utf8.length);
        return this;
    }

    @Override
    public BinaryCopy timestamptz(Instant value) {
        if (value == null) {
            return nul();
        }
        int32(8);
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
        int64(micros - PG_EPOCH_MICROS);
        return this;
    }

    @Override
    public BinaryCopy textArray(Collection<String> values) {
        byte[][] elements = new byte[values.size()][];
        int length = 12 + (values.isEmpty() ? 0 : 8);
        int i = 0;
        for (String value : values) {
            elements[i] = value.getBytes(StandardCharsets.UTF_8);
            length += 4 + elements[i++].length;
        }
        arrayHeader(length, values.size(), TEXT_OID);
        for (byte[] element : elements) {
            int32(element.length);
            out.write(element, 0, element.length);
        }
        return this;
    }

    @Override
    public BinaryCopy uuidArray(Collection<UUID> values) {
        arrayHeader(12 + (values.isEmpty() ? 0 : 8) + values.size() * 20, values.size(), UUID_OID);
        for (UUID value : values) {
            uuid(value);
        }
        return this;
    }

    @Override
    public BinaryCopy nul() {
        int32(-1);
        return this;
    }

    /**
     * Sends the rows with {@code copySql} ({@code COPY table (columns) FROM STDIN (FORMAT binary)})
     * on {@code connection}, inside whatever transaction it is in; answers the rows copied.
     */
    long sendTo(Connection connection, String copySql) throws SQLException {
        int16((short) -1);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            copy.writeToCopy(out.bytes, 0, out.size);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private void arrayHeader(int length, int elements, int elementOid) {
        int32(length);
        int32(elements == 0 ? 0 : 1);   // dimensions
        int32(0);                       // no NULL elements
        int32(elementOid);
        if (elements > 0) {
            int32(elements);            // size of the one dimension
            int32(1);                   // its lower bound
        }
    }

    private void int16(short value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private void int32(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private void int64(long value) {
        int32((int) (value >>> 32));
        int32((int) value);
    }

    /** A growing byte buffer (unsynchronized) whose array goes to the driver without a copy. */
    private static final class Bytes {

        private byte[] bytes;
        private int size;

        Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void write(byte[] b, int offset, int length) {
            ensure(length);
            System.arraycopy(b, offset, bytes, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
