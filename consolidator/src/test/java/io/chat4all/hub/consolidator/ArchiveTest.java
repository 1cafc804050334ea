package io.chat4all.hub.consolidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chat4all.hub.archive.ArchiveRow;
import io.chat4all.hub.archive.ParquetArchives;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The consolidator in this JVM against real PostgreSQL and the S3 server: jobs archive users'
 * old history to Parquet, an independent reader (DuckDB) reads the same rows, row groups follow
 * conversations, hot rows are gone, and one user's failure does not stop another's archive.
 */
@HubStack({EngineKind.POSTGRES, EngineKind.S3})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ArchiveTest {

    private static final AtomicLong MSG_IDS = new AtomicLong(System.currentTimeMillis() * 1000);
    private static final AtomicLong STREAM_OFFSETS = new AtomicLong();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MinioClient s3;
    @Value("${hub.s3.bucket}")
    String bucket;

    @Test
    void shouldArchiveAUsersOldHistoryToParquetThatAnIndependentReaderReadsBack(TestStack stack) throws Exception {
        UUID owner = UUID.randomUUID();
        Instant old = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        UUID big = UUID.randomUUID();
        UUID small = UUID.randomUUID();
        UUID tiny = UUID.randomUUID();
        insert(owner, big, 1, 3000, old, 1200);
        insert(owner, small, 1, 12, old, 100);
        insert(owner, tiny, 1, 2, old, 50);
        insert(owner, big, 3001, 5, Instant.now(), 100);            // recent: stays hot
        List<ArchiveRow> due = hotRows(owner).stream().filter(r -> r.acceptedAt().isBefore(Instant.now().minus(Duration.ofDays(7))))
                .toList();

        UUID job = queue(owner, null);
        await().atMost(WAIT).until(() -> "succeeded".equals(state(job)));

        Map<String, Object> progress = jdbc.queryForMap("SELECT * FROM archive_jobs WHERE job_id = ?", job);
        assertThat(progress).containsEntry("users_total", 1).containsEntry("users_done", 1).containsEntry("users_failed", 0)
                .containsEntry("rows_archived", 3014L);
        assertThat(hotRows(owner)).as("only the recent rows stay hot").hasSize(5)
                .allSatisfy(r -> assertThat(r.seq()).isGreaterThan(3000));

        List<String> keys = jdbc.queryForList("SELECT object_key FROM archive_objects WHERE owner_id = ?", String.class, owner);
        assertThat(keys).hasSize(1);
        Path file = download(keys.get(0));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            List<String> read = new ArrayList<>();
            try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT conversation_id, seq, message_id, payload, status, epoch_us(accepted_at), stream_offset FROM read_parquet('"
                            + file + "')")) {
                while (rs.next()) {
                    read.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                            + rs.getString(5) + "|" + rs.getLong(6) + "|" + rs.getLong(7));
                }
            }
            assertThat(read).as("DuckDB reads exactly the archived rows, by conversation then seq").containsExactlyElementsOf(
                    due.stream()
                            // PostgreSQL orders uuids byte-wise, as their text sorts; UUID.compareTo is signed
                            .sorted(java.util.Comparator.comparing((ArchiveRow r) -> r.conversationId().toString())
                                    .thenComparingLong(ArchiveRow::seq))
                            .map(r -> r.conversationId() + "|" + r.seq() + "|" + r.messageId() + "|" + r.payload() + "|"
                                    + r.status() + "|" + ChronoUnit.MICROS.between(Instant.EPOCH, r.acceptedAt()) + "|"
                                    + r.stream().offset())
                            .toList());

            List<String[]> groups = new ArrayList<>();
            try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT row_group_id, stats_min_value, stats_max_value, row_group_num_rows, compression FROM parquet_metadata('"
                            + file + "') WHERE path_in_schema = 'conversation_id' ORDER BY row_group_id")) {
                while (rs.next()) {
                    groups.add(new String[] {rs.getString(2), rs.getString(3), rs.getString(5)});
                }
            }
            assertThat(groups).as("every row group holds one conversation").allSatisfy(g -> {
                assertThat(g[0]).isEqualTo(g[1]);
                assertThat(g[2]).isEqualToIgnoringCase("ZSTD");
            });
            assertThat(groups.stream().filter(g -> g[0].equals(big.toString())).count())
                    .as("3,000 rows of ~1.2 KB split at ~1 MiB").isGreaterThanOrEqualTo(3);
            assertThat(groups.stream().filter(g -> g[0].equals(tiny.toString())).count()).isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM archive_ranges WHERE owner_id = ?", Integer.class, owner))
                .isEqualTo(3);
        LongSummaryStatistics tinyOffsets = due.stream().filter(r -> r.conversationId().equals(tiny))
                .mapToLong(r -> r.stream().offset()).summaryStatistics();
        assertThat(jdbc.queryForList("SELECT min_stream_offset || '..' || max_stream_offset FROM archive_ranges"
                + " WHERE owner_id = ? AND conversation_id = ?", String.class, owner, tiny))
                .as("the manifest spans the stream offsets of the conversation's archived copies")
                .containsExactly(tinyOffsets.getMin() + ".." + tinyOffsets.getMax());
        assertThat(new ParquetArchives(1 << 20).read(file)).hasSize(3014);
        Files.delete(file);
    }

    @Test
    void shouldWaitForAnotherRunArchivingTheSameUserInsteadOfCountingItFailed() throws Exception {
        UUID owner = UUID.randomUUID();
        insert(owner, UUID.randomUUID(), 1, 30, Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS), 100);
        UUID job;
        // Another run (another instance, or the schedule) holds the user's lock, as UserLocks takes it.
        try (Connection other = jdbc.getDataSource().getConnection(); Statement st = other.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtextextended('" + owner + "', 4242))");
            try {
                job = queue(owner, null);
                await().atMost(WAIT).until(() -> "running".equals(state(job)));
                await().alias("waiting, neither done nor failed").during(Duration.ofSeconds(2)).atMost(WAIT)
                        .until(() -> jdbc.queryForMap("SELECT users_done, users_failed FROM archive_jobs WHERE job_id = ?", job)
                                .equals(Map.of("users_done", 0, "users_failed", 0)));
                assertThat(hotRows(owner)).hasSize(30);
            } finally {
                // a pooled connection's session outlives close(): release explicitly
                st.execute("SELECT pg_advisory_unlock(hashtextextended('" + owner + "', 4242))");
            }
        }
        await().atMost(WAIT).until(() -> "succeeded".equals(state(job)));
        assertThat(jdbc.queryForMap("SELECT users_done, users_failed, rows_archived FROM archive_jobs WHERE job_id = ?", job))
                .containsEntry("users_done", 1).containsEntry("users_failed", 0).containsEntry("rows_archived", 30L);
        assertThat(hotRows(owner)).isEmpty();
    }

    @Test
    void shouldFinishTheOtherUserWhenOneUsersObjectCannotBeWrittenAndReportTheFailure() throws Exception {
        Instant old = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        UUID healthy = UUID.randomUUID();
        UUID broken = UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        insert(healthy, conversation, 1, 40, old, 200);
        insert(broken, conversation, 1, 40, old, 200);
        // The S3 server's filesystem backend cannot write a file where a directory is: an object
        // "under" the broken user's first key makes that key unwritable.
        String blockedKey = "users/" + broken + "/archive/" + conversation + "-1.parquet";
        s3.putObject(PutObjectArgs.builder().bucket(bucket).object(blockedKey + "/blocker")
                .stream(new ByteArrayInputStream(new byte[] {1}), 1, -1).build());

        UUID job = queue(null, Instant.now().minus(Duration.ofDays(20)));
        await().atMost(WAIT).until(() -> "failed".equals(state(job)));

        Map<String, Object> result = jdbc.queryForMap("SELECT * FROM archive_jobs WHERE job_id = ?", job);
        assertThat((Integer) result.get("users_failed")).isEqualTo(1);
        assertThat((Integer) result.get("users_done")).isGreaterThanOrEqualTo(1);
        assertThat(result.get("errors").toString()).contains(broken.toString());
        assertThat(result.get("detail").toString()).contains("users failed");
        assertThat(hotRows(healthy)).as("the healthy user is archived").isEmpty();
        assertThat(hotRows(broken)).as("the broken user's history stays hot, whole").hasSize(40);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM archive_objects WHERE owner_id = ?", Integer.class, broken)).isZero();
    }

    private UUID queue(UUID user, Instant cutoff) {
        UUID job = UUID.randomUUID();
        jdbc.update("INSERT INTO archive_jobs (job_id, trigger, user_id, cutoff, state, created_at)"
                + " VALUES (?, 'request', ?, ?, 'queued', now())", job, user, cutoff == null ? null : Timestamp.from(cutoff));
        return job;
    }

    private String state(UUID job) {
        return jdbc.queryForObject("SELECT state FROM archive_jobs WHERE job_id = ?", String.class, job);
    }

    private void insert(UUID owner, UUID conversation, long fromSeq, int count, Instant acceptedAt, int textBytes) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = randomText(textBytes);
            rows.add(new Object[] {owner, conversation, fromSeq + i, MSG_IDS.incrementAndGet(), UUID.randomUUID(),
                    owner, "{\"type\": \"text\", \"text\": \"" + text + "\"}", Timestamp.from(acceptedAt.plusMillis(i)),
                    STREAM_OFFSETS.incrementAndGet()});
        }
        jdbc.batchUpdate("INSERT INTO participant_messages (owner_id, conversation_id, seq, msg_id, message_id, sender_id,"
                + " direction, payload, metadata, accepted_at, stream_partition, stream_offset)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'outgoing', ?::jsonb, '{}'::jsonb, ?, 0, ?)", rows);
    }

    private List<ArchiveRow> hotRows(UUID owner) {
        return jdbc.query("SELECT *, payload::text AS p, metadata::text AS m FROM participant_messages WHERE owner_id = ?"
                + " ORDER BY conversation_id, seq", (rs, n) -> new ArchiveRow(owner, rs.getObject("conversation_id", UUID.class),
                rs.getLong("seq"), rs.getLong("msg_id"), rs.getObject("message_id", UUID.class),
                rs.getObject("sender_id", UUID.class), rs.getString("direction"), rs.getString("p"), rs.getString("m"),
                "in_transit", rs.getTimestamp("accepted_at").toInstant(), rs.getTimestamp("stored_at").toInstant(),
                new ArchiveRow.StreamPosition(rs.getInt("stream_partition"), rs.getLong("stream_offset"))), owner);
    }

    private Path download(String key) throws Exception {
        Path file = Files.createTempFile("archive-test-", ".parquet");
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static String randomText(int bytes) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz ";
        StringBuilder text = new StringBuilder(bytes);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < bytes; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
