package io.chat4all.hub.simulator.domain;

/**
 * A fault to inject, as posted to {@code /_sim/faults}.
 *
 * @param channel     {@code whatsapp}, {@code instagram}, or null for both
 * @param recipient   phone number or IGSID it applies to, or null for every recipient
 * @param kind        what it does
 * @param times       how many sends it fires on, or null until cleared
 * @param probability chance it fires on a matching send (0..1), null for always
 * @param delayMs     delay of {@code slow} and {@code timeout}, null for their defaults
 */
public record FaultSpec(Channel channel, String recipient, FaultKind kind, Integer times, Double probability,
                        Long delayMs) {

    /** @throws IllegalArgumentException naming the first invalid field */
    void validate() {
        if (kind == null) {
            throw new IllegalArgumentException(
                    "kind is required: rate_limit, server_error, permanent, slow or timeout");
        }
        if (times != null && times < 1) {
            throw new IllegalArgumentException("times must be at least 1, or null for unlimited");
        }
        if (probability != null && !(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1");
        }
        if (delayMs != null && delayMs < 0) {
            throw new IllegalArgumentException("delay_ms must not be negative");
        }
    }
}
