package io.chat4all.hub.indexer.index;

import java.time.Instant;
import java.util.Map;

/**
 * One change of a canonical message, read from the CDC topic: what to do with its search document.
 *
 * @param kind upsert (the row exists with these values) or delete (the row is gone)
 * @param messageId the document id
 * @param index the monthly index the document lives in
 * @param lsn the change's position in the WAL: the document's external version, so a replayed or
 *            late change never overwrites a newer one
 * @param committedAt when PostgreSQL committed the change
 * @param acceptedAt when the hub accepted the message
 * @param live a change made while streaming (not a snapshot read of an existing row)
 * @param document the document to index (upserts only)
 */
public record MessageChange(Kind kind, String messageId, String index, long lsn, Instant committedAt,
                            Instant acceptedAt, boolean live, Map<String, Object> document) {

    public enum Kind { UPSERT, DELETE }
}
