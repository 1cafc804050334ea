package io.chat4all.hub.contracts.search;

/**
 * The search index of messages: one document per canonical message, id = the client's
 * {@code message_id}, written by indexer and queried by api-gateway. Field names live here so the
 * writer and the reader cannot drift apart; the mapping is indexer's
 * ({@code search/messages-template.json}).
 */
public final class MessageDocument {

    /** Monthly indices are {@code <alias>-yyyy.MM}, by the month the message was accepted (UTC). */
    public static final String INDEX_DATE_PATTERN = "yyyy.MM";

    public static final String MESSAGE_ID = "message_id";
    public static final String MSG_ID = "msg_id";
    public static final String CONVERSATION_ID = "conversation_id";
    public static final String SEQ = "seq";
    public static final String SENDER_ID = "sender_id";
    /** Everyone the message was routed to, sender included: the access-control field. */
    public static final String PARTICIPANTS = "participants";
    public static final String PAYLOAD_TYPE = "payload_type";
    /** The searchable text (a text message's text, a file's caption); absent for encrypted payloads. */
    public static final String TEXT = "text";
    public static final String FILE_ID = "file_id";
    public static final String CHANNELS = "channels";
    public static final String CREATED_AT = "created_at";

    private MessageDocument() {
    }
}
