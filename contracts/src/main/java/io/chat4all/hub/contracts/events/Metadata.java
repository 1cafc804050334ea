package io.chat4all.hub.contracts.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The integrator's free-form metadata object: insertion order kept, JSON nulls allowed. */
final class Metadata {

    private Metadata() {
    }

    static Map<String, Object> immutableCopy(Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
