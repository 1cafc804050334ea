-- Search is fed by change data capture (indexer's Debezium engine on the pgoutput plugin): the
-- publication names exactly the tables search needs. The publication is created here, not by
-- Debezium (publication.autocreate.mode=disabled), so the schema owner decides what leaves the
-- database. Needs wal_level=logical (the local stack and docker-compose set it).
CREATE PUBLICATION chat4all_search FOR TABLE messages;

-- Deletes must carry the whole old row: the document to remove is found by message_id in the
-- monthly index of accepted_at, and the primary key alone (msg_id) says neither. Messages are
-- written once and rarely deleted, so the extra WAL is small.
ALTER TABLE messages REPLICA IDENTITY FULL;
