package io.chat4all.hub.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Archive objects read back from the real S3 server with ranged GETs: a slice of one conversation
 * comes back exactly, and reading it fetches the footer and the matching row groups only, never
 * the whole object.
 */
@HubStack(EngineKind.S3)
class RangedArchiveReadTest {

    private static final long ROW_GROUP_BYTES = 64 * 1024;

    @Test
    void shouldReadOneConversationSliceWithAFewRangedRequests(TestStack stack) throws Exception {
        UUID owner = UUID.randomUUID();
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conversations.add(UUID.randomUUID());
        }
        conversations.sort((a, b) -> a.toString().compareTo(b.toString()));
        List<ArchiveRow> rows = new ArrayList<>();
        for (UUID conversation : conversations) {
            for (long seq = 1; seq <= 1500; seq++) {
                rows.add(row(owner, conversation, seq));
            }
        }
        ParquetArchives parquet = new ParquetArchives(ROW_GROUP_BYTES);
        ArchiveFile file = parquet.write(rows);
        assertThat(file.ranges()).hasSize(3);
        ArchiveFile.Range middle = file.ranges().get(1);
        assertThat(middle.lastRowGroup()).as("the conversation spans several row groups").isGreaterThan(middle.firstRowGroup());

        MinioClient s3 = stack.s3Client();
        String bucket = stack.newBucket("archive-format");
        String key = ArchiveFile.objectKey(rows.get(0));
        s3.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.path().toString()).build());

        S3InputFile object = new S3InputFile(s3, bucket, key, file.bytes());
        List<ArchiveRow> slice = parquet.read(object, middle.conversationId(), 700, 720, middle.firstRowGroup(),
                middle.lastRowGroup());
        assertThat(slice).extracting(ArchiveRow::seq).containsExactlyElementsOf(seqs(700, 720));
        assertThat(slice).containsExactlyElementsOf(rows.stream()
                .filter(r -> r.conversationId().equals(middle.conversationId()) && r.seq() >= 700 && r.seq() <= 720).toList());
        assertThat(object.requests()).as("the footer, then the one row group that holds seq 700..720").isBetween(1, 2);
        assertThat(object.bytesFetched()).as("a fraction of the object").isLessThan(file.bytes() / 2);

        S3InputFile again = new S3InputFile(s3, bucket, key, file.bytes());
        List<ArchiveRow> whole = parquet.read(again, middle.conversationId(), 1, 1500, middle.firstRowGroup(),
                middle.lastRowGroup());
        assertThat(whole).extracting(ArchiveRow::seq).containsExactlyElementsOf(seqs(1, 1500));
        assertThat(again.requests()).as("at most one request per row group of the conversation, plus the footer")
                .isLessThanOrEqualTo(1 + middle.lastRowGroup() - middle.firstRowGroup() + 1);
        assertThat(again.bytesFetched()).as("not the other conversations' row groups").isLessThan(file.bytes());

        assertThat(parquet.read(new S3InputFile(s3, bucket, key, file.bytes()), null)).containsExactlyElementsOf(rows);
        Files.deleteIfExists(file.path());
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            seqs.add(s);
        }
        return seqs;
    }

    private static ArchiveRow row(UUID owner, UUID conversation, long seq) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plus(seq, ChronoUnit.SECONDS);
        return new ArchiveRow(owner, conversation, seq, seq * 1000 + conversation.hashCode() % 1000, UUID.randomUUID(),
                UUID.randomUUID(), seq % 2 == 0 ? "inbound" : "outbound",
                "{\"type\":\"text\",\"text\":\"message " + seq + " " + UUID.randomUUID() + "\"}", "{}", "delivered", at, at);
    }
}
