package io.chat4all.hub.router.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The router's own settings (Kafka Streams itself is configured under {@code spring.kafka.streams}).
 *
 * @param pendingTimeout how long an accepted message may wait for the membership version it was
 *                       checked against before it goes to the dead-letter topic
 * @param dedupeWindow   how long a routed {@code message_id} is remembered, so a republished copy
 *                       is recognised
 */
@ConfigurationProperties("hub.router")
public record RouterProperties(Duration pendingTimeout, Duration dedupeWindow) {

    public RouterProperties {
        pendingTimeout = pendingTimeout == null ? Duration.ofMinutes(5) : pendingTimeout;
        dedupeWindow = dedupeWindow == null ? Duration.ofDays(7) : dedupeWindow;
    }
}
