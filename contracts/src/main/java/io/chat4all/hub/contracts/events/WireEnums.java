package io.chat4all.hub.contracts.events;

import java.util.Locale;

/** Lower-case wire names for the contract enums ({@code IN_TRANSIT} travels as {@code "in_transit"}). */
final class WireEnums {

    private WireEnums() {
    }

    static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E fromWire(Class<E> type, String wire) {
        if (wire == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, wire.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + wire + "'", e);
        }
    }
}
