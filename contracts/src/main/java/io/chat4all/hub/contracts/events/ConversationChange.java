package io.chat4all.hub.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to a conversation. */
public enum ConversationChange {
    CREATED, MEMBER_ADDED, MEMBER_REMOVED, RENAMED;

    @JsonValue
    public String wireName() {
        return WireEnums.wireName(this);
    }

    @JsonCreator
    public static ConversationChange fromWire(String wire) {
        return WireEnums.fromWire(ConversationChange.class, wire);
    }
}
