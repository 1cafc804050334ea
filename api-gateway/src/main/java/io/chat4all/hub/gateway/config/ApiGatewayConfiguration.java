package io.chat4all.hub.gateway.config;

import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.gateway.realtime.LiveEvents;
import io.chat4all.hub.gateway.realtime.RealtimeProperties;
import io.chat4all.hub.gateway.web.SafeText;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import tools.jackson.databind.JacksonModule;

/** Wiring of api-gateway. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({GatewayProperties.class, RealtimeProperties.class})
class ApiGatewayConfiguration {

    /** Every JSON body's strings and keys checked for text the engines cannot hold (SafeText). */
    @Bean
    JacksonModule safeText() {
        return SafeText.module();
    }

    @Bean
    SnowflakeIdGenerator messageIds(GatewayProperties properties) {
        return new SnowflakeIdGenerator(properties.nodeId());
    }

    /** The topics this service writes (it is their only writer); created at start if missing. */
    @Bean
    KafkaAdmin.NewTopics ownedTopics(TopicProperties topics) {
        return topics.declare(Topics.MESSAGES_ACCEPTED, Topics.CONVERSATION_CHANGES, Topics.USER_CHANGES);
    }

    /**
     * The topics real-time streams read (message-router and the channel adapters write them and
     * declare them too, with the same settings): declared here as well, so a gateway started before
     * their writers assigns every partition at start (the live consumer looks them up once).
     * {@code conversations.changes} is one of this service's own, declared above.
     */
    @Bean
    KafkaAdmin.NewTopics streamedTopics(TopicProperties topics) {
        return topics.declare(LiveEvents.TOPICS.stream().filter(topic -> topic != Topics.CONVERSATION_CHANGES)
                .toArray(TopicSpec<?, ?>[]::new));
    }
}
