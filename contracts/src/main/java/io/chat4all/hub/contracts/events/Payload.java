package io.chat4all.hub.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What a message carries; the JSON {@code type} field selects the variant, as in the public API. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Payload.Text.class, name = "text"),
        @JsonSubTypes.Type(value = Payload.File.class, name = "file"),
        @JsonSubTypes.Type(value = Payload.Encrypted.class, name = "encrypted")
})
public sealed interface Payload {

    /**
     * A plain text message. A text over the gateway's threshold is stored once in object storage:
     * then {@code text} is a short preview and {@code ref} says where the whole text is.
     */
    record Text(String text, @JsonInclude(JsonInclude.Include.NON_NULL) TextRef ref) implements Payload {

        public Text(String text) {
            this(text, null);
        }
    }

    /** Where a large text is stored: its object key, its size in bytes (UTF-8) and its SHA-256. */
    record TextRef(String objectKey, long size, String sha256) {
    }

    /** An attachment uploaded through the files API, with an optional caption. */
    record File(String fileId, String caption) implements Payload {
    }

    /** End-to-end encrypted bytes the hub stores and forwards but never reads or indexes. */
    record Encrypted(String ciphertext, String nonce, String alg) implements Payload {
    }
}
