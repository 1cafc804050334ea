package io.chat4all.hub.gateway.core;

import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import io.chat4all.hub.contracts.kafka.Topics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import tools.jackson.databind.JacksonModule;

/** Wiring of api-gateway. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
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
}
