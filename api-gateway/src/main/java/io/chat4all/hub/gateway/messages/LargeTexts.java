package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.gateway.core.ObjectStore;
import io.chat4all.hub.gateway.files.FileProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Texts over the threshold are written once to object storage, under a key derived from the
 * sender and the message id ({@code users/<sender>/texts/<message_id>}: a retry writes the same
 * bytes to the same key), and every copy of the message holds a short preview and the reference.
 * Reads put the whole text back, so clients never see the difference. Blocking.
 */
@Component
public class LargeTexts {

    /** Characters of the preview kept in every copy. */
    static final int PREVIEW_CHARS = 280;

    private final ObjectStore store;
    private final long threshold;

    LargeTexts(ObjectStore store, FileProperties properties) {
        this.store = store;
        this.threshold = properties.largeTextThreshold().toBytes();
    }

    /**
     * True when {@link #storeIfLarge} would store this payload's text (a blocking call to object
     * storage); cheap: a text of at most threshold/3 characters is never over it in UTF-8.
     */
    public boolean isLarge(Payload payload) {
        return payload instanceof Payload.Text text && text.ref() == null && text.text().length() * 3L > threshold
                && text.text().getBytes(StandardCharsets.UTF_8).length > threshold;
    }

    /** The payload to publish: unchanged, or a preview and a reference once the text is stored. */
    public Payload storeIfLarge(UUID senderId, UUID messageId, Payload payload) {
        if (!isLarge(payload)) {
            return payload;
        }
        Payload.Text text = (Payload.Text) payload;
        byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
        String key = "users/" + senderId + "/texts/" + messageId;
        store.put(key, bytes, "text/plain; charset=utf-8");
        return new Payload.Text(preview(text.text()), new Payload.TextRef(key, bytes.length, sha256(bytes)));
    }

    /** A stored message's payload as clients see it: the whole text in place of a preview and reference. */
    public Map<String, Object> resolve(Map<String, Object> payload) {
        if (!(payload.get("ref") instanceof Map<?, ?> ref) || !(ref.get("object_key") instanceof String key)) {
            return payload;
        }
        Map<String, Object> whole = new LinkedHashMap<>(payload);
        whole.remove("ref");
        whole.put("text", new String(store.read(key), StandardCharsets.UTF_8));
        return whole;
    }

    private static String preview(String text) {
        if (text.codePointCount(0, text.length()) <= PREVIEW_CHARS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, PREVIEW_CHARS)) + "…";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
