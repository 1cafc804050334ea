-- Chat4All Hub core schema. storage-writer owns the schema (Flyway); the gateway writes the
-- identity, conversation, idempotency and outbox tables, storage-writer the history and statuses.

-- Identities -------------------------------------------------------------------------------
CREATE TABLE users (
    user_id        uuid        PRIMARY KEY,
    username       text        NOT NULL UNIQUE,
    display_name   text        NOT NULL,
    password_hash  text        NOT NULL,
    role           text        NOT NULL CHECK (role IN ('admin', 'user')),
    channels       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL,
    erased_at      timestamptz
);

CREATE TABLE api_keys (
    key_id      uuid        PRIMARY KEY,
    name        text        NOT NULL,
    key_hash    text        NOT NULL UNIQUE,   -- SHA-256 of the (high-entropy) key; the key itself is shown once
    created_by  uuid        NOT NULL REFERENCES users (user_id),
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

-- Conversations ----------------------------------------------------------------------------
CREATE TABLE conversations (
    conversation_id    uuid        PRIMARY KEY,
    type               text        NOT NULL CHECK (type IN ('private', 'group')),
    name               text,
    created_by         uuid        NOT NULL,
    created_at         timestamptz NOT NULL,
    membership_version bigint      NOT NULL,   -- +1 on every membership change, as in ConversationChanged
    last_seq           bigint      NOT NULL DEFAULT 0,
    last_activity_at   timestamptz NOT NULL
);
CREATE INDEX conversations_activity ON conversations (last_activity_at DESC, conversation_id);

-- Current and past members. A removed member keeps the history they had: left_version is set,
-- the row stays.
CREATE TABLE conversation_members (
    conversation_id uuid        NOT NULL REFERENCES conversations (conversation_id),
    user_id         uuid        NOT NULL,
    joined_version  bigint      NOT NULL,
    joined_at       timestamptz NOT NULL,
    left_version    bigint,
    left_at         timestamptz,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_by_user ON conversation_members (user_id) WHERE left_at IS NULL;

-- Transactional outbox: a change of users or conversations and its event are committed together;
-- a relay publishes the events to Kafka in id order and marks them published.
CREATE TABLE outbox (
    id           bigserial   PRIMARY KEY,
    topic        text        NOT NULL,
    record_key   uuid        NOT NULL,
    payload      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Idempotency of POST /v1/messages: one row per client message_id, shared by every gateway
-- instance. 'publishing' until the broker acknowledged the accepted message, then 'accepted'.
CREATE TABLE accepted_messages (
    message_id       uuid        PRIMARY KEY,
    msg_id           bigint      NOT NULL UNIQUE,
    conversation_id  uuid        NOT NULL,
    sender_id        uuid        NOT NULL,
    request_hash     text        NOT NULL,
    accepted_at      timestamptz NOT NULL,
    event            bytea       NOT NULL,     -- the exact MessageAccepted, republished as-is on a retry
    state            text        NOT NULL CHECK (state IN ('publishing', 'accepted'))
);

-- History (written by storage-writer) ------------------------------------------------------
-- The canonical message, one row per message.
CREATE TABLE messages (
    msg_id          bigint      PRIMARY KEY,
    message_id      uuid        NOT NULL UNIQUE,
    conversation_id uuid        NOT NULL,
    seq             bigint      NOT NULL,
    sender_id       uuid        NOT NULL,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    channels        text[]      NOT NULL DEFAULT '{}',
    participants    uuid[]      NOT NULL,
    request_hash    text        NOT NULL,
    accepted_at     timestamptz NOT NULL,
    routed_at       timestamptz NOT NULL,
    UNIQUE (conversation_id, seq)
);

-- Every participant's own copy: history reads come from here.
CREATE TABLE participant_messages (
    owner_id        uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    seq             bigint      NOT NULL,
    msg_id          bigint      NOT NULL,
    message_id      uuid        NOT NULL,
    sender_id       uuid        NOT NULL,
    direction       text        NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    accepted_at     timestamptz NOT NULL,
    stored_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, conversation_id, seq)
);
CREATE UNIQUE INDEX participant_messages_by_message ON participant_messages (owner_id, message_id);

-- Current status per delivery; recipient_id / channel are the nil UUID / 'hub' for message-wide
-- steps (accepted, in_transit). rank orders the lifecycle; a status never goes backwards.
CREATE TABLE message_status (
    msg_id              bigint      NOT NULL,
    recipient_id        uuid        NOT NULL,
    channel             text        NOT NULL,
    status              text        NOT NULL,
    rank                smallint    NOT NULL,
    provider_message_id text,
    error_code          text,
    error_reason        text,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (msg_id, recipient_id, channel)
);
CREATE INDEX message_status_by_provider_id ON message_status (provider_message_id) WHERE provider_message_id IS NOT NULL;

-- The audit trail: every transition that advanced a delivery, once (event_id).
CREATE TABLE message_status_history (
    event_id     uuid        PRIMARY KEY,
    msg_id       bigint      NOT NULL,
    recipient_id uuid        NOT NULL,
    channel      text        NOT NULL,
    status       text        NOT NULL,
    at           timestamptz NOT NULL,
    detail       text
);
CREATE INDEX message_status_history_by_message ON message_status_history (msg_id, at);
