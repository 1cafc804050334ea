package io.chat4all.hub.indexer.index;

import io.chat4all.hub.autoconfigure.Fault;
import io.chat4all.hub.contracts.search.MessageDocument;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Debezium's JSON change envelope of a {@code messages} row ({@code before}, {@code after},
 * {@code source.lsn}, {@code source.ts_ms}, {@code op}; schemas disabled) into a {@link MessageChange}.
 * The document holds what search needs and nothing it must not: an encrypted payload contributes
 * no text, and a large text stored in object storage is resolved through {@link TextSource}.
 */
public final class ChangeParser {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern(MessageDocument.INDEX_DATE_PATTERN)
            .withZone(ZoneOffset.UTC);

    private final String indexAlias;
    private final TextSource texts;

    public ChangeParser(String indexAlias, TextSource texts) {
        this.indexAlias = indexAlias;
        this.texts = texts;
    }

    /** The monthly index of a message accepted at {@code acceptedAt}. */
    public String indexOf(Instant acceptedAt) {
        return indexAlias + "-" + MONTH.format(acceptedAt);
    }

    /**
     * @throws UnreadableChangeException the value is not a change envelope of a message row
     */
    public MessageChange parse(String value) {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(value);
        } catch (JacksonException e) {
            throw new UnreadableChangeException("not JSON: " + e.getOriginalMessage());
        }
        String op = envelope.path("op").asString("");
        JsonNode source = envelope.path("source");
        long lsn = source.path("lsn").asLong(-1);
        if (lsn < 0) {
            throw new UnreadableChangeException("no source.lsn in the change event");
        }
        Instant committedAt = Instant.ofEpochMilli(source.path("ts_ms").asLong(envelope.path("ts_ms").asLong(0)));
        switch (op) {
            case "c", "u", "r" -> {
                JsonNode row = requireRow(envelope.path("after"), op);
                Instant acceptedAt = instant(row, "accepted_at");
                return new MessageChange(MessageChange.Kind.UPSERT, text(row, "message_id"), indexOf(acceptedAt), lsn,
                        committedAt, acceptedAt, !"r".equals(op), document(row, acceptedAt));
            }
            case "d" -> {
                JsonNode row = requireRow(envelope.path("before"), op);
                Instant acceptedAt = instant(row, "accepted_at");
                return new MessageChange(MessageChange.Kind.DELETE, text(row, "message_id"), indexOf(acceptedAt), lsn,
                        committedAt, acceptedAt, true, null);
            }
            default -> throw new UnreadableChangeException("unknown change operation '" + op + "'");
        }
    }

    private Map<String, Object> document(JsonNode row, Instant acceptedAt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(MessageDocument.MESSAGE_ID, text(row, "message_id"));
        doc.put(MessageDocument.MSG_ID, row.path("msg_id").asLong());
        doc.put(MessageDocument.CONVERSATION_ID, text(row, "conversation_id"));
        doc.put(MessageDocument.SEQ, row.path("seq").asLong());
        doc.put(MessageDocument.SENDER_ID, text(row, "sender_id"));
        doc.put(MessageDocument.PARTICIPANTS, strings(row.path("participants")));
        doc.put(MessageDocument.CHANNELS, strings(row.path("channels")));
        doc.put(MessageDocument.CREATED_AT, acceptedAt.toString());
        JsonNode payload = payload(row);
        String type = payload.path("type").asString("unknown");
        doc.put(MessageDocument.PAYLOAD_TYPE, type);
        switch (type) {
            case "text" -> {
                JsonNode ref = payload.path("ref");
                doc.put(MessageDocument.TEXT, ref.isObject()
                        ? texts.read(ref.path("object_key").asString(), payload.path("text").asString(""))
                        : payload.path("text").asString(""));
            }
            case "file" -> {
                doc.put(MessageDocument.FILE_ID, payload.path("file_id").asString(null));
                if (payload.hasNonNull("caption")) {
                    doc.put(MessageDocument.TEXT, payload.path("caption").asString());
                }
            }
            default -> {
                // encrypted (or unknown): opaque to the hub, never indexed
            }
        }
        return doc;
    }

    /** {@code jsonb} columns arrive as JSON text. */
    private static JsonNode payload(JsonNode row) {
        JsonNode payload = row.path("payload");
        if (payload.isString()) {
            try {
                return JSON.readTree(payload.asString());
            } catch (JacksonException e) {
                throw new UnreadableChangeException("payload is not JSON: " + e.getOriginalMessage());
            }
        }
        return payload;
    }

    private static JsonNode requireRow(JsonNode row, String op) {
        if (!row.isObject() || !row.hasNonNull("message_id") || !row.hasNonNull("accepted_at")) {
            throw new UnreadableChangeException("change '" + op + "' carries no message row with message_id and accepted_at"
                    + " (is the table's replica identity FULL?)");
        }
        return row;
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.path(field);
        if (!value.isString()) {
            throw new UnreadableChangeException("field " + field + " missing");
        }
        return value.asString();
    }

    private static Instant instant(JsonNode row, String field) {
        try {
            return Instant.parse(text(row, field));
        } catch (java.time.format.DateTimeParseException e) {
            throw new UnreadableChangeException("field " + field + " is not a time: " + row.path(field));
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    /** A record that is not a readable message change: it goes to the dead-letter topic. */
    public static final class UnreadableChangeException extends RuntimeException implements Fault.Permanent {
        public UnreadableChangeException(String message) {
            super(message);
        }
    }
}
