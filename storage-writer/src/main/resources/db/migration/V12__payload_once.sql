-- Throughput (issue 23): a message's payload is stored once, in messages. A participant's copy
-- stored after its message row carries no payload or metadata (NULL) and is read with the
-- message's (HotCopies in archive-format: history, stream replay, archive, file access). A copy
-- that storage-writer stores before the message row (the two come from different topics) keeps
-- its own, as every copy did before this version; messages rows are never deleted, so a copy
-- without a payload always has one to read.
ALTER TABLE participant_messages ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE participant_messages ALTER COLUMN metadata DROP NOT NULL;
