package io.chat4all.hub.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a participant's copy of a message is one they sent or one they received. */
public enum Direction {
    OUTGOING, INCOMING;

    @JsonValue
    public String wireName() {
        return WireEnums.wireName(this);
    }

    @JsonCreator
    public static Direction fromWire(String wire) {
        return WireEnums.fromWire(Direction.class, wire);
    }
}
