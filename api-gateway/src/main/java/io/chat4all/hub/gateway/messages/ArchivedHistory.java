package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.archive.ArchiveRow;
import io.chat4all.hub.archive.ParquetArchives;
import io.chat4all.hub.archive.S3InputFile;
import io.chat4all.hub.autoconfigure.S3Properties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The archived part of each participant's history (consolidator moved it to Parquet objects). The
 * manifest ({@code archive_ranges}) says which object and row groups hold which {@code seq} range
 * of a conversation; only those are read, with ranged GETs, and within them only the row groups
 * whose statistics can match. Blocking: call through {@link Jdbc}.
 */
@Repository
public class ArchivedHistory {

    /** The manifest's promise: {@code minSeq..maxSeq} of the conversation sit in these row groups of the object. */
    record Range(String objectKey, long bytes, long minSeq, long maxSeq, int firstRowGroup, int lastRowGroup) {
    }

    /**
     * SQL condition on a canonical message {@code m}: the owner (two {@code ?} parameters) holds
     * an archived copy of it — they were a participant and their copies of that {@code seq} were
     * archived. Exact without reading the object: participants are exactly the copies' owners.
     */
    public static final String ARCHIVED_COPY = "? = ANY(m.participants) AND EXISTS (SELECT 1 FROM archive_ranges r"
            + " WHERE r.owner_id = ? AND r.conversation_id = m.conversation_id AND m.seq BETWEEN r.min_seq AND r.max_seq)";

    private static final String RANGES_OF_OWNER = "SELECT r.object_key, o.bytes, r.min_seq, r.max_seq, r.first_row_group,"
            + " r.last_row_group FROM archive_ranges r JOIN archive_objects o ON o.object_key = r.object_key"
            + " WHERE r.owner_id = ?";
    private static final String RANGES = RANGES_OF_OWNER + " AND r.conversation_id = ?";

    private final JdbcTemplate jdbc;
    private final MinioClient s3;
    private final String bucket;
    private final ParquetArchives parquet = new ParquetArchives(ParquetArchives.DEFAULT_ROW_GROUP_BYTES);
    private final Counter objectRequests;
    private final Timer reads;

    ArchivedHistory(JdbcTemplate jdbc, MinioClient s3, S3Properties s3Properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.s3 = s3;
        this.bucket = s3Properties.bucket();
        this.objectRequests = Counter.builder("hub.history.archive.requests")
                .description("Ranged GETs of archive objects made to serve history reads").register(meters);
        this.reads = Timer.builder("hub.history.archive.reads")
                .description("Time to read archived history for one request (manifest + objects)").register(meters);
    }

    /** True when the owner has archived history of this conversation. */
    public boolean holds(UUID owner, UUID conversation) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM archive_ranges WHERE owner_id = ?"
                + " AND conversation_id = ?)", Boolean.class, owner, conversation));
    }

    /**
     * Up to {@code limit} archived rows of the owner's copy of the conversation strictly between
     * {@code afterSeq} and {@code beforeSeq} (either may be null): ascending from {@code afterSeq}
     * when {@code ascending}, else descending from {@code beforeSeq} (or the newest).
     */
    public List<ArchiveRow> page(UUID owner, UUID conversation, Long afterSeq, Long beforeSeq, boolean ascending,
                                 int limit) {
        long low = afterSeq == null ? Long.MIN_VALUE : afterSeq + 1;
        long high = beforeSeq == null ? Long.MAX_VALUE : beforeSeq - 1;
        if (low > high || limit <= 0) {
            return List.of();
        }
        List<Range> ranges = jdbc.query(RANGES + " AND r.max_seq >= ? AND r.min_seq <= ? ORDER BY r.min_seq "
                + (ascending ? "ASC" : "DESC"), ArchivedHistory::range, owner, conversation, low, high);
        List<ArchiveRow> rows = new ArrayList<>();
        return reads.record(() -> {
            for (Range range : ranges) {
                List<ArchiveRow> found = read(range, conversation, Math.max(low, range.minSeq()), Math.min(high, range.maxSeq()));
                if (!ascending) {
                    found = new ArrayList<>(found);
                    Collections.reverse(found);
                }
                for (ArchiveRow row : found) {
                    rows.add(row);
                    if (rows.size() == limit) {
                        return rows;
                    }
                }
            }
            return rows;
        });
    }

    /**
     * The owner's archived copies in stream partition {@code partition} after offset {@code after}
     * up to {@code upTo}, in stream order (real-time replay of a cursor older than the archive).
     * Reads the ranges whose offset span meets that window; copies archived in format 1 have no
     * position and are never replayed this way.
     */
    public List<ArchiveRow> streamed(UUID owner, int partition, long after, long upTo) {
        if (after >= upTo) {
            return List.of();
        }
        List<Range> ranges = jdbc.query(RANGES_OF_OWNER + " AND r.max_stream_offset > ? AND r.min_stream_offset <= ?"
                + " ORDER BY r.min_stream_offset", ArchivedHistory::range, owner, after, upTo);
        if (ranges.isEmpty()) {
            return List.of();
        }
        return reads.record(() -> {
            List<ArchiveRow> rows = new ArrayList<>();
            for (Range range : ranges) {
                rows.addAll(read(range, input -> parquet.readStreamed(input, partition, after, upTo, range.firstRowGroup(),
                        range.lastRowGroup())));
            }
            rows.sort(Comparator.comparingLong(row -> row.stream().offset()));
            return rows;
        });
    }

    /** The owner's archived copy of the message {@code seq} of the conversation, if they hold one. */
    public Optional<ArchiveRow> find(UUID owner, UUID conversation, long seq) {
        List<Range> ranges = jdbc.query(RANGES + " AND r.min_seq <= ? AND r.max_seq >= ?", ArchivedHistory::range,
                owner, conversation, seq, seq);
        return ranges.isEmpty() ? Optional.empty()
                : reads.record(() -> read(ranges.get(0), conversation, seq, seq)).stream().findFirst();
    }

    /** The owner's archived copy of a message, looked up by its canonical row. */
    public Optional<ArchiveRow> find(UUID owner, UUID messageId) {
        return jdbc.query("SELECT conversation_id, seq FROM messages WHERE message_id = ? ORDER BY msg_id LIMIT 1",
                        (rs, i) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)), messageId)
                .stream().findFirst().flatMap(position -> find(owner, position.getKey(), position.getValue()));
    }

    /**
     * Each message's status as history shows it now (statuses stay in PostgreSQL after archiving
     * and keep moving: a read receipt can come after the copy was archived).
     */
    public Map<Long, String> currentStatuses(List<Long> msgIds) {
        Map<Long, String> statuses = new HashMap<>();
        if (msgIds.isEmpty()) {
            return statuses;
        }
        jdbc.query("SELECT u.msg_id, (SELECT s.status FROM message_status s WHERE s.msg_id = u.msg_id"
                        + " ORDER BY (s.channel = 'hub'), s.rank LIMIT 1) FROM unnest(?::bigint[]) AS u(msg_id)",
                rs -> {
                    String status = rs.getString(2);
                    if (status != null) {
                        statuses.put(rs.getLong(1), status);
                    }
                }, (Object) msgIds.toArray(Long[]::new));
        return statuses;
    }

    private List<ArchiveRow> read(Range range, UUID conversation, long fromSeq, long toSeq) {
        return read(range, object -> parquet.read(object, conversation, fromSeq, toSeq, range.firstRowGroup(),
                range.lastRowGroup()));
    }

    /** Reads rows of the range's object with ranged GETs, counting the requests. */
    private List<ArchiveRow> read(Range range, ObjectRead reader) {
        S3InputFile object = new S3InputFile(s3, bucket, range.objectKey(), range.bytes());
        try {
            return reader.read(object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read archived history from " + object + ": " + e.getMessage(), e);
        } finally {
            objectRequests.increment(object.requests());
        }
    }

    @FunctionalInterface
    private interface ObjectRead {
        List<ArchiveRow> read(S3InputFile object) throws IOException;
    }

    private static Range range(ResultSet rs, int i) throws SQLException {
        return new Range(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getInt(5), rs.getInt(6));
    }
}
