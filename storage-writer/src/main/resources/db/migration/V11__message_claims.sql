-- Throughput (issue 23): POST /v1/messages claims a message before publishing it, many requests in
-- one statement (group commit). The claim is the idempotency record: the receipt and the request
-- hash, not the event (a retry with the same body rebuilds the identical event from its own body
-- and this row). A client's message_id is scoped to its sender: another sender's id neither
-- conflicts with nor reveals anything about it. The key leads with message_id so a lookup by
-- message_id alone (an integrator's GET /v1/messages/{id}) uses the primary key.
CREATE TABLE message_claims (
    message_id         uuid        NOT NULL,
    sender_id          uuid        NOT NULL,
    msg_id             bigint      NOT NULL,
    conversation_id    uuid        NOT NULL,
    membership_version bigint      NOT NULL,
    request_hash       text        NOT NULL,
    accepted_at        timestamptz NOT NULL,
    PRIMARY KEY (message_id, sender_id)
);
-- Pruned by age (the consolidator's retention job, HUB_RETENTION_WINDOW).
CREATE INDEX message_claims_by_accepted_at ON message_claims USING brin (accepted_at);

-- The acceptances recorded before claims keep answering retries (the membership version they
-- were accepted with is inside their event; the conversation's current one stands in for it: the
-- router recognises a republished copy before it looks at membership).
INSERT INTO message_claims (message_id, sender_id, msg_id, conversation_id, membership_version, request_hash, accepted_at)
SELECT a.message_id, a.sender_id, a.msg_id, a.conversation_id,
       COALESCE((SELECT c.membership_version FROM conversations c WHERE c.conversation_id = a.conversation_id), 0),
       a.request_hash, a.accepted_at
FROM accepted_messages a
ON CONFLICT DO NOTHING;
DROP TABLE accepted_messages;

-- The same scope downstream: two senders may use the same message_id, and both messages are
-- stored (for the canonical row and for every participant's copy).
ALTER TABLE messages DROP CONSTRAINT messages_message_id_key;
ALTER TABLE messages ADD CONSTRAINT messages_message_id_sender_key UNIQUE (message_id, sender_id);
DROP INDEX participant_messages_by_message;
CREATE UNIQUE INDEX participant_messages_by_message ON participant_messages (owner_id, message_id, sender_id);
