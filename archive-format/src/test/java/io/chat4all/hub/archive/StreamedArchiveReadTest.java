package io.chat4all.hub.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

/**
 * Format 2 keeps each copy's stream position: the ranges announce each conversation's offsets,
 * and a replay read returns exactly the copies of one partition after an offset. Format 1 files
 * (written before positions were kept) still read, as copies without a position.
 */
class StreamedArchiveReadTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldReadTheCopiesOfAStreamSpanAcrossConversations() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID first = new UUID(0, 1);
        UUID second = new UUID(0, 2);
        List<ArchiveRow> rows = new ArrayList<>();
        // The two conversations interleave in the owner's stream: offsets 100, 102, … and 101, 103, …
        for (long seq = 1; seq <= 40; seq++) {
            rows.add(row(owner, first, seq, new ArchiveRow.StreamPosition(3, 98 + 2 * seq)));
        }
        rows.add(row(owner, second, 1, null)); // stored before positions were kept
        for (long seq = 2; seq <= 40; seq++) {
            rows.add(row(owner, second, seq, new ArchiveRow.StreamPosition(3, 97 + 2 * seq)));
        }
        ParquetArchives parquet = new ParquetArchives(4 * 1024);
        ArchiveFile file = parquet.write(rows);
        try {
            assertThat(file.ranges()).extracting(ArchiveFile.Range::minStreamOffset, ArchiveFile.Range::maxStreamOffset)
                    .containsExactly(tuple(100L, 178L),
                            tuple(101L, 177L));
            assertThat(file.ranges().get(0).lastRowGroup()).as("several row groups to skip by statistics")
                    .isGreaterThan(file.ranges().get(0).firstRowGroup());

            LocalInputFile input = new LocalInputFile(file.path());
            int lastGroup = file.ranges().get(1).lastRowGroup();
            List<ArchiveRow> span = new ArrayList<>(parquet.readStreamed(input, 3, 120, 140, 0, lastGroup));
            span.sort(Comparator.comparingLong(row -> row.stream().offset()));
            assertThat(span).extracting(row -> row.stream().offset())
                    .containsExactlyElementsOf(LongStream.rangeClosed(121, 140).boxed().toList());
            assertThat(span).allMatch(row -> rows.contains(row));
            assertThat(parquet.readStreamed(input, 4, 0, Long.MAX_VALUE, 0, lastGroup)).as("another partition").isEmpty();
            assertThat(parquet.read(file.path())).as("every row, positions included").containsExactlyElementsOf(rows);
        } finally {
            Files.deleteIfExists(file.path());
        }
    }

    @Test
    void shouldReadFormatOneFilesAsCopiesWithoutAPosition() throws Exception {
        MessageType formatOne = Types.buildMessage()
                .addFields(ParquetArchives.SCHEMA.getFields().stream()
                        .filter(field -> !field.getName().startsWith("stream_")).toArray(Type[]::new))
                .named("participant_message");
        ArchiveRow row = row(UUID.randomUUID(), UUID.randomUUID(), 7, null);
        Path path = Files.createTempFile("format-1-", ".parquet");
        try {
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(path))
                    .withConf(new PlainParquetConfiguration()).withType(formatOne)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
                writer.write(new SimpleGroupFactory(formatOne).newGroup()
                        .append("owner_id", row.ownerId().toString())
                        .append("conversation_id", row.conversationId().toString())
                        .append("seq", row.seq()).append("msg_id", row.msgId())
                        .append("message_id", row.messageId().toString()).append("sender_id", row.senderId().toString())
                        .append("direction", row.direction()).append("payload", row.payload())
                        .append("metadata", row.metadata()).append("status", row.status())
                        .append("accepted_at", ParquetArchives.micros(row.acceptedAt()))
                        .append("stored_at", ParquetArchives.micros(row.storedAt())));
            }
            ParquetArchives parquet = new ParquetArchives(ParquetArchives.DEFAULT_ROW_GROUP_BYTES);
            assertThat(parquet.read(path)).containsExactly(row);
            assertThat(parquet.readStreamed(new LocalInputFile(path), 0, -1, Long.MAX_VALUE, 0, 0)).isEmpty();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private static ArchiveRow row(UUID owner, UUID conversation, long seq, ArchiveRow.StreamPosition stream) {
        return new ArchiveRow(owner, conversation, seq, seq, UUID.randomUUID(), owner, "outgoing",
                "{\"type\":\"text\",\"text\":\"message " + seq + " " + "x".repeat(200) + "\"}", "{}", "sent", AT.plusSeconds(seq),
                AT.plusSeconds(seq), stream);
    }
}
