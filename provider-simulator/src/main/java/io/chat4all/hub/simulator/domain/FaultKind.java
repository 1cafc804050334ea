package io.chat4all.hub.simulator.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;

/** What a fault does to a send it fires on. */
public enum FaultKind {

    /** 429: WhatsApp code 130429, Instagram code 4. */
    RATE_LIMIT("rate_limit", Duration.ZERO),
    /** 500: WhatsApp code 131000, Instagram code 1. */
    SERVER_ERROR("server_error", Duration.ZERO),
    /** 400: WhatsApp code 131026 (undeliverable), Instagram code 100 subcode 2018001 (no matching user). */
    PERMANENT("permanent", Duration.ZERO),
    /** A normal answer, after {@code delay_ms} (default 5 s). */
    SLOW("slow", Duration.ofSeconds(5)),
    /** No answer: the connection is closed after {@code delay_ms} (default 60 s). */
    TIMEOUT("timeout", Duration.ofSeconds(60));

    private final String value;
    private final Duration defaultDelay;

    FaultKind(String value, Duration defaultDelay) {
        this.value = value;
        this.defaultDelay = defaultDelay;
    }

    @JsonValue
    public String value() {
        return value;
    }

    Duration defaultDelay() {
        return defaultDelay;
    }
}
