package io.chat4all.hub.contracts.events;

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

    /** A plain text message. */
    record Text(String text) implements Payload {
    }

    /** An attachment uploaded through the files API, with an optional caption. */
    record File(String fileId, String caption) implements Payload {
    }

    /** End-to-end encrypted bytes the hub stores and forwards but never reads or indexes. */
    record Encrypted(String ciphertext, String nonce, String alg) implements Payload {
    }
}
