package io.chat4all.hub.archive;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A Parquet file written locally for one batch: its rows (by conversation, then {@code seq}), where
 * each conversation's rows sit (row groups), its size and SHA-256.
 */
public record ArchiveFile(Path path, List<ArchiveRow> rows, List<Range> ranges, long bytes, String sha256) {

    /**
     * One conversation's rows in the file: a {@code seq} range in consecutive row groups, and the
     * range of their stream offsets (null when none of them has a stream position).
     */
    public record Range(UUID conversationId, long minSeq, long maxSeq, int rowCount, int firstRowGroup, int lastRowGroup,
                        Long minStreamOffset, Long maxStreamOffset) {
    }

    public Instant minAcceptedAt() {
        return rows.stream().map(ArchiveRow::acceptedAt).min(Instant::compareTo).orElseThrow();
    }

    public Instant maxAcceptedAt() {
        return rows.stream().map(ArchiveRow::acceptedAt).max(Instant::compareTo).orElseThrow();
    }

    /**
     * The object key: under the owner's prefix, named by the batch's first row. A batch always starts
     * at the owner's oldest unarchived row, so a rerun after a crash writes the same key again.
     */
    public static String objectKey(ArchiveRow first) {
        return "users/" + first.ownerId() + "/archive/" + first.conversationId() + "-" + first.seq() + ".parquet";
    }
}
