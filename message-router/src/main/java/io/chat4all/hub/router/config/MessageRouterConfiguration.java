package io.chat4all.hub.router.config;

import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.kafka.Topics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Wiring of message-router. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RouterProperties.class)
class MessageRouterConfiguration {

    /** The topics this service writes (it is their only writer); created at start if missing. */
    @Bean
    KafkaAdmin.NewTopics ownedTopics(TopicProperties topics) {
        return topics.declare(Topics.PARTICIPANT_MESSAGES, Topics.MESSAGE_STATUS, Topics.WHATSAPP_OUTBOUND, Topics.INSTAGRAM_OUTBOUND);
    }
}
