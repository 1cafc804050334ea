package io.chat4all.hub.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An external channel a message can be delivered through. */
public enum Channel {
    WHATSAPP, INSTAGRAM;

    @JsonValue
    public String wireName() {
        return WireEnums.wireName(this);
    }

    @JsonCreator
    public static Channel fromWire(String wire) {
        return WireEnums.fromWire(Channel.class, wire);
    }
}
