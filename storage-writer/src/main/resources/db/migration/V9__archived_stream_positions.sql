-- Real-time replay over archived history: a reconnecting client's stream cursor can be older than
-- copies the consolidator has archived since. Archive format 2 keeps each copy's stream position
-- (stream_partition, stream_offset columns); the manifest records, per object and conversation,
-- the span of those offsets, so a replay reads only the ranges that can hold copies after a cursor.
-- Null for ranges archived in format 1 or holding only copies stored before positions were kept.
ALTER TABLE archive_ranges ADD COLUMN min_stream_offset bigint;
ALTER TABLE archive_ranges ADD COLUMN max_stream_offset bigint;
CREATE INDEX archive_ranges_by_stream ON archive_ranges (owner_id, max_stream_offset)
    WHERE max_stream_offset IS NOT NULL;
