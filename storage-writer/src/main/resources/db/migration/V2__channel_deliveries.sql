-- The channel adapters' ledger: one row per hub delivery (a message to one recipient through one
-- channel). It is what makes a delivery go to the provider at most once across consumer restarts
-- and rebalances, and how a provider's status webhook finds its way back to the hub message.
--   state: sending   the provider call started (a crash here leaves it 'sending'; see uncertain)
--          sent      the provider took it (provider_message_id known)
--          failed    the provider refused it for good (error_code / error_reason)
--          dead      retries ran out; the record went to <topic>-dlt and a replay may send it
--          uncertain an adapter found it 'sending' after a crash: never resent automatically
--   status / status_rank: the furthest delivery status published for it (webhooks only advance it)
CREATE TABLE channel_deliveries (
    delivery_id         uuid        PRIMARY KEY,
    channel             text        NOT NULL,
    msg_id              bigint      NOT NULL,
    message_id          uuid        NOT NULL,
    conversation_id     uuid        NOT NULL,
    recipient_id        uuid        NOT NULL,
    recipient_address   text        NOT NULL,
    sender_account      text        NOT NULL,
    state               text        NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'dead', 'uncertain')),
    attempts            integer     NOT NULL DEFAULT 0,
    provider_message_id text,
    status              text        NOT NULL,
    status_rank         smallint    NOT NULL,
    error_code          text,
    error_reason        text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX channel_deliveries_by_provider_id ON channel_deliveries (channel, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX channel_deliveries_attention ON channel_deliveries (state, updated_at)
    WHERE state IN ('sending', 'uncertain', 'dead');
