-- Retention (issue 16): the consolidator's retention job deletes, by age, the bookkeeping rows
-- that only matter for a while (HUB_RETENTION_WINDOW, 7 days). BRIN indexes on their time
-- columns: rows arrive in time order, so a BRIN index finds old rows for a fraction of the size
-- and insert cost of a B-tree (nothing on the hot insert path pays for a B-tree here).
CREATE INDEX outbox_by_published_at ON outbox USING brin (published_at);
CREATE INDEX accepted_messages_by_accepted_at ON accepted_messages USING brin (accepted_at);
CREATE INDEX message_status_history_by_at ON message_status_history USING brin (at);
CREATE INDEX channel_deliveries_by_updated_at ON channel_deliveries USING brin (updated_at);
