package io.chat4all.hub.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Private conversations have exactly two members; groups have any number. */
public enum ConversationType {
    PRIVATE, GROUP;

    @JsonValue
    public String wireName() {
        return WireEnums.wireName(this);
    }

    @JsonCreator
    public static ConversationType fromWire(String wire) {
        return WireEnums.fromWire(ConversationType.class, wire);
    }
}
