-- Real time (api-gateway /v1/stream, /v1/ws): every participant copy remembers where it sits in
-- messages.participant (keyed by owner, so all of one owner's copies are in one partition, in
-- order). The offset is the copy's position in its owner's event stream: a reconnecting client
-- hands back the last one it saw and is replayed the copies after it.
ALTER TABLE participant_messages ADD COLUMN stream_partition integer;
ALTER TABLE participant_messages ADD COLUMN stream_offset bigint;
CREATE INDEX participant_messages_by_stream ON participant_messages (owner_id, stream_offset)
    WHERE stream_offset IS NOT NULL;

-- How far storage-writer has stored each partition of a topic, updated in the transaction that
-- stores the records: a gateway waits until storage has everything it already pushed live, then
-- replays from storage, so the seam between replay and live loses and repeats nothing.
CREATE TABLE stream_progress (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL,   -- every record below this offset is stored (or dead-lettered)
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (topic, partition)
);
