package io.chat4all.hub.channel.domain;

import java.time.Duration;

/** What one provider call came to. */
public sealed interface SendOutcome {

    /** The provider took the message and gave it this id. */
    record Sent(String providerMessageId) implements SendOutcome {
    }

    /**
     * Worth another try soon: throttled (429, 130429), the provider failing (5xx), a timeout. When
     * every allowed attempt got one, the delivery is {@code failed} with the last of them.
     *
     * @param retryAfter the provider's hint, or null
     */
    record Transient(String code, String reason, Duration retryAfter) implements SendOutcome {
    }

    /**
     * The provider refused the adapter's own credentials (401/403, codes 190, 10, 200): no delivery
     * can go out until an operator fixes the token, and none is failed for it; they wait.
     */
    record Unauthorized(String code, String reason) implements SendOutcome {
    }

    /** Refused for good (131026 and other 4xx): the delivery is {@code failed} with this code and reason. */
    record Permanent(String code, String reason) implements SendOutcome {
    }
}
