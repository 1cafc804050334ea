package io.chat4all.hub.router.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The router's Kafka Streams settings.
 *
 * @param applicationId Kafka Streams application id (consumer group and state store prefix)
 * @param stateDir where local state stores live
 */
@ConfigurationProperties("hub.router")
public record RouterProperties(
        String applicationId,
        String stateDir) {
}
