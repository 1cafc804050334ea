-- Archive (consolidator): history older than the hot window moves from participant_messages to
-- Parquet objects in the bucket (users/<owner_id>/archive/…). The canonical messages table and the
-- statuses stay in PostgreSQL (search and statuses keep working for archived messages).

-- Archive jobs: requested through POST /v1/admin/archive (api-gateway inserts them 'queued') or
-- created by the consolidator's schedule. The consolidator claims and runs them; the row is the
-- job's whole state, so a job survives a restart of either service.
CREATE TABLE archive_jobs (
    job_id        uuid        PRIMARY KEY,
    trigger       text        NOT NULL CHECK (trigger IN ('schedule', 'request')),
    requested_by  uuid,                    -- the admin who asked (null for the schedule)
    user_id       uuid,                    -- only this user's history; null = every user
    cutoff        timestamptz,             -- archive rows accepted before this; null = now − hot window at start
    state         text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    users_total   integer     NOT NULL DEFAULT 0,
    users_done    integer     NOT NULL DEFAULT 0,
    users_failed  integer     NOT NULL DEFAULT 0,
    rows_archived bigint      NOT NULL DEFAULT 0,
    bytes_written bigint      NOT NULL DEFAULT 0,
    objects       integer     NOT NULL DEFAULT 0,
    errors        jsonb       NOT NULL DEFAULT '[]'::jsonb,   -- [{user_id, error, at}]
    detail        text,                    -- why it failed, or how it was interrupted and resumed
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz,
    claimed_by    text,                    -- the consolidator instance running it
    heartbeat_at  timestamptz              -- a running job whose heartbeat is stale was interrupted
);
CREATE INDEX archive_jobs_open ON archive_jobs (created_at) WHERE state IN ('queued', 'running');

-- The manifest: one row per archived object, inserted in the same transaction that deletes the
-- object's rows from participant_messages, after the object was uploaded and read back.
CREATE TABLE archive_objects (
    object_key      text        PRIMARY KEY,
    owner_id        uuid        NOT NULL,
    job_id          uuid        NOT NULL,
    row_count       integer     NOT NULL,
    bytes           bigint      NOT NULL,
    sha256          text        NOT NULL,
    min_accepted_at timestamptz NOT NULL,
    max_accepted_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX archive_objects_by_owner ON archive_objects (owner_id);

-- Which seqs of which conversation each object holds, and in which row groups, so a history page
-- reads only the objects and row groups that can hold it.
CREATE TABLE archive_ranges (
    object_key      text        NOT NULL REFERENCES archive_objects (object_key) ON DELETE CASCADE,
    owner_id        uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    min_seq         bigint      NOT NULL,
    max_seq         bigint      NOT NULL,
    row_count       integer     NOT NULL,
    first_row_group integer     NOT NULL,
    last_row_group  integer     NOT NULL,
    PRIMARY KEY (owner_id, conversation_id, min_seq)
);
