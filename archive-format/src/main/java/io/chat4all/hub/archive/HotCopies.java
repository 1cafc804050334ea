package io.chat4all.hub.archive;

/**
 * How a participant's hot copy ({@code participant_messages}) is read: its payload and metadata
 * are its own when it has them, else its message's ({@code messages}, where a payload is stored
 * once; schema V12). One place for the SQL, used by every reader of copies.
 */
public final class HotCopies {

    private HotCopies() {
    }

    /** The payload (jsonb) of the copy aliased {@code copy}. */
    public static String payload(String copy) {
        return "COALESCE(" + copy + ".payload, (SELECT pm.payload FROM messages pm WHERE pm.msg_id = " + copy + ".msg_id))";
    }

    /** The metadata (jsonb) of the copy aliased {@code copy}. */
    public static String metadata(String copy) {
        return "COALESCE(" + copy + ".metadata, (SELECT pm.metadata FROM messages pm WHERE pm.msg_id = " + copy
                + ".msg_id))";
    }
}
