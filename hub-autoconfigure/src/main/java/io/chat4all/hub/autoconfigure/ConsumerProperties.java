package io.chat4all.hub.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How every Kafka consumer of a service treats a record it cannot process ({@code hub.consumer.*}).
 *
 * @param maxAttempts    attempts at a record failing for an unknown reason before it is
 *                       dead-lettered ({@code HUB_CONSUMER_MAX_ATTEMPTS}); data errors are
 *                       dead-lettered at the first, dependency outages are waited out
 * @param initialBackoff pause after the first failure ({@code HUB_CONSUMER_INITIAL_BACKOFF})
 * @param maxBackoff     longest pause between two attempts ({@code HUB_CONSUMER_MAX_BACKOFF})
 * @param stallAfter     how long a consumer group may have lag without committing anything before
 *                       health says DEGRADED ({@code HUB_CONSUMER_STALL_AFTER})
 */
@ConfigurationProperties("hub.consumer")
public record ConsumerProperties(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration stallAfter) {

    public ConsumerProperties {
        maxAttempts = maxAttempts <= 0 ? 5 : maxAttempts;
        initialBackoff = initialBackoff == null ? Duration.ofMillis(500) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        stallAfter = stallAfter == null ? Duration.ofMinutes(2) : stallAfter;
    }
}
