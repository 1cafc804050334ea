-- Attachments (written by the gateway). The bytes never pass through the hub: the client uploads
-- them straight to object storage with presigned multipart URLs; the gateway completes the upload,
-- verifies the whole object's SHA-256, and only then marks the file available.
--   state: uploading  multipart upload started, parts being PUT by the client (until expires_at)
--          available  completed and verified: may be sent in messages
--          rejected   completion refused (checksum, missing part, wrong ETag): object removed
--          expired    never completed before expires_at: the upload was aborted by the cleanup job
-- object_key is deterministic: users/<owner_id>/files/<file_id> (see docs/services/api-gateway.md).
CREATE TABLE files (
    file_id         uuid        PRIMARY KEY,
    owner_id        uuid        NOT NULL,
    filename        text        NOT NULL,
    content_type    text        NOT NULL,
    size            bigint      NOT NULL CHECK (size > 0),
    sha256          text        NOT NULL,
    object_key      text        NOT NULL UNIQUE,
    upload_id       text        NOT NULL,
    part_size       bigint      NOT NULL,
    part_count      integer     NOT NULL,
    state           text        NOT NULL CHECK (state IN ('uploading', 'available', 'rejected', 'expired')),
    reason          text,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    completed_at    timestamptz
);
CREATE INDEX files_by_owner ON files (owner_id);
CREATE INDEX files_uploading ON files (expires_at) WHERE state = 'uploading';

-- Who may read a file besides its uploader: everyone whose history holds a message carrying it.
CREATE INDEX participant_messages_by_file ON participant_messages ((payload->>'file_id'), owner_id)
    WHERE payload->>'type' = 'file';
