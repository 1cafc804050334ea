package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.autoconfigure.ConsumerProgressHealthIndicator;
import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/** {@code /v1/ws} served by {@link RealtimeWebSocket} (before the annotated controllers), and the live consumer's health. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RealtimeProperties.class)
class RealtimeConfiguration {

    @Bean
    HandlerMapping realtimeWebSocketMapping(RealtimeWebSocket handler) {
        return new SimpleUrlHandlerMapping(Map.of("/v1/ws", handler), -1);
    }

    /**
     * {@code liveEvents}: UP while the live consumer is assigned and polling; DEGRADED (HTTP 200,
     * not part of readiness: every other request is still served) while it is being replaced.
     */
    @Bean
    HealthIndicator liveEventsHealthIndicator(LiveEvents live) {
        return () -> (live.healthy(Duration.ofSeconds(30)) ? Health.up()
                : Health.status(ConsumerProgressHealthIndicator.DEGRADED).withDetail("last_error", String.valueOf(live.lastError())))
                .withDetail("connections", live.connections()).withDetail("restarts", live.restarts()).build();
    }

    /**
     * The topics real-time streams read (message-router and the channel adapters write them and
     * declare them too, with the same settings): declared here as well, so a gateway started before
     * their writers assigns every partition at start (the live consumer looks them up once).
     * {@code conversations.changes} is one of this service's own, declared with the others it owns.
     */
    @Bean
    KafkaAdmin.NewTopics streamedTopics(TopicProperties topics) {
        return topics.declare(LiveEvents.TOPICS.stream().filter(topic -> topic != Topics.CONVERSATION_CHANGES)
                .toArray(TopicSpec<?, ?>[]::new));
    }
}
