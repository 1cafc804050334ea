package io.chat4all.hub.archive;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timestampType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * The archive's Parquet format (docs/services/consolidator.md): one file per batch, rows by
 * conversation then {@code seq}, one row group per conversation (split at about
 * {@code rowGroupBytes}), ZSTD, an explicit schema.
 *
 * <p>parquet-java cannot be told to end a row group, so each conversation is written as a part
 * of its own (in memory, cut into row groups by size) and the parts' column chunks are copied
 * into the final file unchanged, with their statistics and indexes.
 */
public final class ParquetArchives {

    public static final MessageType SCHEMA = Types.buildMessage()
            .required(BINARY).as(stringType()).named("owner_id")
            .required(BINARY).as(stringType()).named("conversation_id")
            .required(INT64).named("seq")
            .required(INT64).named("msg_id")
            .required(BINARY).as(stringType()).named("message_id")
            .required(BINARY).as(stringType()).named("sender_id")
            .required(BINARY).as(stringType()).named("direction")
            .required(BINARY).as(stringType()).named("payload")
            .required(BINARY).as(stringType()).named("metadata")
            .required(BINARY).as(stringType()).named("status")
            .required(INT64).as(timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("accepted_at")
            .required(INT64).as(timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("stored_at")
            .optional(INT32).named("stream_partition")
            .optional(INT64).named("stream_offset")
            .named("participant_message");

    /**
     * Written into every file's key/value metadata. Format 2 added {@code stream_partition} and
     * {@code stream_offset}; format 1 files (without them) are still read.
     */
    public static final String FORMAT_KEY = "chat4all.archive.format";
    public static final String FORMAT_VERSION = "2";

    /** Where a conversation's rows are split into another row group: about 1 MiB. */
    public static final long DEFAULT_ROW_GROUP_BYTES = 1L << 20;

    private static final int ZSTD_LEVEL = 3;

    private final long rowGroupBytes;
    private final ZstdCodecs codecs = new ZstdCodecs(ZSTD_LEVEL);
    private final ParquetConfiguration conf = new PlainParquetConfiguration();

    public ParquetArchives(long rowGroupBytes) {
        this.rowGroupBytes = rowGroupBytes;
    }

    /** Writes {@code rows} (sorted by conversation, then seq) to a local temporary file. */
    public ArchiveFile write(List<ArchiveRow> rows) {
        Map<UUID, List<ArchiveRow>> byConversation = new LinkedHashMap<>();
        for (ArchiveRow row : rows) {
            byConversation.computeIfAbsent(row.conversationId(), c -> new ArrayList<>()).add(row);
        }
        try {
            Path path = Files.createTempFile("archive-", ".parquet");
            List<ArchiveFile.Range> ranges = new ArrayList<>();
            try (ParquetFileWriter file = new ParquetFileWriter(new LocalOutputFile(path), SCHEMA,
                    ParquetFileWriter.Mode.OVERWRITE, rowGroupBytes, 0, null, ParquetProperties.builder().build())) {
                file.start();
                int rowGroup = 0;
                for (List<ArchiveRow> conversation : byConversation.values()) {
                    MemoryFile part = writePart(conversation);
                    int groups = copyRowGroups(part, file);
                    ArchiveRow first = conversation.get(0);
                    LongSummaryStatistics offsets = conversation.stream().filter(row -> row.stream() != null)
                            .mapToLong(row -> row.stream().offset()).summaryStatistics();
                    boolean positioned = offsets.getCount() > 0;
                    ranges.add(new ArchiveFile.Range(first.conversationId(), first.seq(),
                            conversation.get(conversation.size() - 1).seq(), conversation.size(), rowGroup, rowGroup + groups - 1,
                            positioned ? offsets.getMin() : null, positioned ? offsets.getMax() : null));
                    rowGroup += groups;
                }
                file.end(Map.of(FORMAT_KEY, FORMAT_VERSION, "chat4all.owner_id", rows.get(0).ownerId().toString()));
            }
            return new ArchiveFile(path, List.copyOf(rows), List.copyOf(ranges), Files.size(path), sha256(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the archive file: " + e.getMessage(), e);
        }
    }

    private MemoryFile writePart(List<ArchiveRow> rows) throws IOException {
        MemoryFile part = new MemoryFile();
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(part)
                .withConf(conf).withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.ZSTD).withCodecFactory(codecs)
                .withRowGroupSize(rowGroupBytes)
                .withMinRowCountForPageSizeCheck(10)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (ArchiveRow row : rows) {
                Group group = groups.newGroup()
                        .append("owner_id", row.ownerId().toString())
                        .append("conversation_id", row.conversationId().toString())
                        .append("seq", row.seq())
                        .append("msg_id", row.msgId())
                        .append("message_id", row.messageId().toString())
                        .append("sender_id", row.senderId().toString())
                        .append("direction", row.direction())
                        .append("payload", row.payload())
                        .append("metadata", row.metadata())
                        .append("status", row.status())
                        .append("accepted_at", micros(row.acceptedAt()))
                        .append("stored_at", micros(row.storedAt()));
                if (row.stream() != null) {
                    group.append("stream_partition", row.stream().partition()).append("stream_offset", row.stream().offset());
                }
                writer.write(group);
            }
        }
        return part;
    }

    /** Copies every row group of {@code part} into {@code file} as is; returns how many. */
    private int copyRowGroups(MemoryFile part, ParquetFileWriter file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(part, readOptions());
             SeekableInputStream in = part.newStream()) {
            List<BlockMetaData> blocks = reader.getFooter().getBlocks();
            for (BlockMetaData block : blocks) {
                file.startBlock(block.getRowCount());
                for (ColumnChunkMetaData column : block.getColumns()) {
                    file.appendColumnChunk(SCHEMA.getColumnDescription(column.getPath().toArray()), in, column,
                            reader.readBloomFilter(column), reader.readColumnIndex(column), reader.readOffsetIndex(column));
                }
                file.endBlock();
            }
            return blocks.size();
        }
    }

    /** Rows the file's footer announces. */
    public long rowCount(Path path) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(path), readOptions())) {
            return reader.getRecordCount();
        }
    }

    /** Every row of the file, in file order. */
    public List<ArchiveRow> read(Path path) throws IOException {
        return read(new LocalInputFile(path), null);
    }

    /** The rows of the given row groups only (all when {@code rowGroups} is null). */
    public List<ArchiveRow> read(InputFile input, List<Integer> rowGroups) throws IOException {
        return read(input, 0, Integer.MAX_VALUE, block -> rowGroups == null || rowGroups.contains(block), row -> true,
                stats -> true);
    }

    /**
     * The rows of one conversation with {@code seq} in {@code [fromSeq, toSeq]}, in file order,
     * reading only row groups {@code firstRowGroup..lastRowGroup} (the manifest's range) whose
     * statistics on {@code conversation_id} and {@code seq} say they can hold such rows.
     */
    public List<ArchiveRow> read(InputFile input, UUID conversation, long fromSeq, long toSeq, int firstRowGroup,
                                 int lastRowGroup) throws IOException {
        String id = conversation.toString();
        return read(input, firstRowGroup, lastRowGroup, block -> true, row -> row.conversationId().equals(conversation)
                && row.seq() >= fromSeq && row.seq() <= toSeq, stats -> stats.mayHold(id, fromSeq, toSeq));
    }

    /**
     * The rows of row groups {@code firstRowGroup..lastRowGroup} that sit in stream partition
     * {@code partition} after offset {@code after}, up to {@code upTo} (real-time replay), in file
     * order; row groups whose {@code stream_offset} statistics exclude that span are skipped.
     */
    public List<ArchiveRow> readStreamed(InputFile input, int partition, long after, long upTo, int firstRowGroup,
                                         int lastRowGroup) throws IOException {
        return read(input, firstRowGroup, lastRowGroup, block -> true, row -> row.streamedBetween(partition, after, upTo),
                stats -> stats.mayHoldOffsets(after, upTo));
    }

    private List<ArchiveRow> read(InputFile input, int first, int last, IntPredicate wanted, Predicate<ArchiveRow> keep,
                                  Predicate<BlockStats> mayMatch) throws IOException {
        List<ArchiveRow> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(input, readOptions())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            List<BlockMetaData> blocks = reader.getRowGroups();
            for (int i = Math.max(0, first); i <= Math.min(last, blocks.size() - 1); i++) {
                if (!wanted.test(i) || !mayMatch.test(new BlockStats(blocks.get(i)))) {
                    continue;
                }
                PageReadStore pages = reader.readRowGroup(i);
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++) {
                    ArchiveRow row = row(records.read());
                    if (keep.test(row)) {
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }

    /** A row group's min/max of {@code conversation_id} and {@code seq}, where the footer has them. */
    private record BlockStats(BlockMetaData block) {

        boolean mayHold(String conversation, long fromSeq, long toSeq) {
            Statistics<?> conversations = statistics("conversation_id");
            if (conversations != null && (conversation.compareTo(text(conversations.genericGetMin())) < 0
                    || conversation.compareTo(text(conversations.genericGetMax())) > 0)) {
                return false;
            }
            return overlaps(statistics("seq"), fromSeq, toSeq);
        }

        boolean mayHoldOffsets(long after, long upTo) {
            return after < upTo && overlaps(statistics("stream_offset"), after + 1, upTo);
        }

        /** False only when the column's statistics show no value in {@code [from, to]}. */
        private static boolean overlaps(Statistics<?> values, long from, long to) {
            return values == null || ((Long) values.genericGetMax() >= from && (Long) values.genericGetMin() <= to);
        }

        private Statistics<?> statistics(String column) {
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                if (chunk.getPath().toDotString().equals(column)) {
                    Statistics<?> stats = chunk.getStatistics();
                    return stats != null && stats.hasNonNullValue() ? stats : null;
                }
            }
            return null;
        }

        private static String text(Object binary) {
            return ((Binary) binary).toStringUsingUTF8();
        }
    }

    private static ArchiveRow row(Group g) {
        return new ArchiveRow(UUID.fromString(g.getString("owner_id", 0)), UUID.fromString(g.getString("conversation_id", 0)),
                g.getLong("seq", 0), g.getLong("msg_id", 0), UUID.fromString(g.getString("message_id", 0)),
                UUID.fromString(g.getString("sender_id", 0)), g.getString("direction", 0), g.getString("payload", 0),
                g.getString("metadata", 0), g.getString("status", 0), instant(g.getLong("accepted_at", 0)),
                instant(g.getLong("stored_at", 0)), streamPosition(g));
    }

    /** The row's stream position; null when it has none or the file is format 1 (no such columns). */
    private static ArchiveRow.StreamPosition streamPosition(Group g) {
        if (!g.getType().containsField("stream_offset") || g.getFieldRepetitionCount("stream_offset") == 0
                || g.getFieldRepetitionCount("stream_partition") == 0) {
            return null;
        }
        return new ArchiveRow.StreamPosition(g.getInteger("stream_partition", 0), g.getLong("stream_offset", 0));
    }

    private ParquetReadOptions readOptions() {
        return ParquetReadOptions.builder(conf).withCodecFactory(codecs).build();
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    public static String sha256(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
