package io.chat4all.hub.simulator.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;

/** The provider APIs the simulator plays. */
public enum Channel {

    WHATSAPP("whatsapp", "/to"),
    INSTAGRAM("instagram", "/recipient/id");

    private final String value;
    private final String recipientPointer;

    Channel(String value, String recipientPointer) {
        this.value = value;
        this.recipientPointer = recipientPointer;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The recipient named in a send body, if it names one as a string; for recording invalid sends too. */
    public String recipientIn(JsonNode body) {
        JsonNode recipient = body.at(recipientPointer);
        return recipient.isString() ? recipient.stringValue() : null;
    }

    /** {@code "whatsapp"} or {@code "instagram"}; blank means any (null). */
    public static Channel fromValue(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Arrays.stream(values()).filter(c -> c.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("channel must be whatsapp or instagram, got " + value));
    }
}
