package io.chat4all.hub.channel.domain;

import java.time.Duration;

/** What one provider call came to. */
public sealed interface SendOutcome {

    /** The provider took the message and gave it this id. */
    record Sent(String providerMessageId) implements SendOutcome {
    }

    /**
     * Worth another try later: throttled (429, 130429), the provider failing (5xx), a timeout, a
     * refused token (fixed by an operator, then the dead letter is replayed).
     *
     * @param retryAfter the provider's hint, or null
     */
    record Transient(String code, String reason, Duration retryAfter) implements SendOutcome {
    }

    /** Refused for good (131026 and other 4xx): the delivery is {@code failed} with this code and reason. */
    record Permanent(String code, String reason) implements SendOutcome {
    }
}
