package io.chat4all.hub.gateway.realtime;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a client is in its own event stream: the partition of {@code messages.participant} that
 * holds its copies (all of one owner's copies are in one partition, in order) and the offset of
 * the last copy it received. Opaque to clients (base64url).
 */
public record StreamCursor(int partition, long offset) {

    private static final String PREFIX = "s1";

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + "|" + partition + "|" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back; {@link IllegalArgumentException} if it is not one this hub handed out. */
    public static StreamCursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 3 || !PREFIX.equals(parts[0])) {
                throw new IllegalArgumentException("not a stream cursor");
            }
            StreamCursor cursor = new StreamCursor(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            if (cursor.partition < 0 || cursor.offset < -1) {
                throw new IllegalArgumentException("not a stream cursor");
            }
            return cursor;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a stream cursor", e);
        }
    }
}
