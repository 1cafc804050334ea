-- Archived history reads (api-gateway): once a participant's copy of a message is archived, access
-- to its attachment is checked against the canonical message (participants + archive_ranges), so
-- the canonical messages need the same lookup by file that participant_messages has (V4).
CREATE INDEX messages_by_file ON messages ((payload->>'file_id')) WHERE payload->>'type' = 'file';
