-- The indexer's replication slot must move while `messages` is quiet and other tables are busy
-- (a storage backlog, an archive run): PostgreSQL keeps all WAL from the slot's position, and
-- past max_slot_wal_keep_size it invalidates the slot for good (search would stop). Debezium's
-- plain heartbeats do not reliably confirm a newer position (ChangeCaptureIndexingTest), so the
-- indexer's engine writes this one row on every heartbeat (heartbeat.action.query); the row is in
-- the publication, so the change reaches the engine, which confirms its position. The indexer
-- does not index it (its table.include.list names messages only).
CREATE TABLE cdc_heartbeat (
    id      integer     PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
ALTER PUBLICATION chat4all_search ADD TABLE cdc_heartbeat;
