package io.chat4all.hub.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The delivery lifecycle: {@code accepted → in_transit → sent → delivered → read}, or
 * {@code failed}. A transition never goes backwards; a channel may skip a step (Instagram has no
 * per-message {@code delivered}).
 */
public enum DeliveryStatus {
    ACCEPTED(0),
    IN_TRANSIT(1),
    SENT(2),
    DELIVERED(3),
    READ(4),
    FAILED(5);

    private final int rank;

    DeliveryStatus(int rank) {
        this.rank = rank;
    }

    /** Position in the lifecycle: a transition must go to a higher rank. */
    public int rank() {
        return rank;
    }

    /** True when moving from this status to {@code next} goes forward in the lifecycle. */
    public boolean canAdvanceTo(DeliveryStatus next) {
        if (this == FAILED || this == READ) {
            return false;
        }
        return next.rank > rank;
    }

    /** True for statuses after which nothing else can happen. */
    public boolean isTerminal() {
        return this == READ || this == FAILED;
    }

    @JsonValue
    public String wireName() {
        return WireEnums.wireName(this);
    }

    @JsonCreator
    public static DeliveryStatus fromWire(String wire) {
        return WireEnums.fromWire(DeliveryStatus.class, wire);
    }
}
