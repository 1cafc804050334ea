package io.chat4all.hub.router.config;

import io.chat4all.hub.autoconfigure.DeadLetters;
import io.chat4all.hub.autoconfigure.MonitoredGroups;
import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.router.messaging.RouterTopology;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.core.KafkaAdmin;

/** Wiring of message-router: the topology on Spring's {@link StreamsBuilder}, its settings and its topics. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties(RouterProperties.class)
class MessageRouterConfiguration {

    /** The topics this service writes (it is their only writer); created at start if missing. */
    @Bean
    KafkaAdmin.NewTopics ownedTopics(TopicProperties topics) {
        return topics.declare(Topics.MESSAGES_ROUTED, Topics.PARTICIPANT_MESSAGES, Topics.MESSAGE_STATUS,
                Topics.WHATSAPP_OUTBOUND, Topics.INSTAGRAM_OUTBOUND, RouterTopology.ACCEPTED_DEAD_LETTERS,
                DeadLetters.of(Topics.CONVERSATION_CHANGES), DeadLetters.of(Topics.USER_CHANGES));
    }

    /**
     * The topics it reads, made sure to exist with the same settings their writers use: Kafka
     * Streams does not start on a missing input topic, and the router may start before the gateway.
     */
    @Bean
    KafkaAdmin.NewTopics inputTopics(TopicProperties topics) {
        return topics.declare(Topics.MESSAGES_ACCEPTED, Topics.CONVERSATION_CHANGES, Topics.USER_CHANGES);
    }

    /**
     * Spring Boot's streams settings ({@code spring.kafka.streams.*}) plus what the topology relies
     * on, which configuration cannot switch off: exactly-once v2 and the dead-letter handler.
     */
    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration routerStreamsConfiguration(KafkaProperties kafka) {
        Map<String, Object> settings = new HashMap<>(kafka.buildStreamsProperties());
        settings.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        settings.putAll(RouterTopology.requiredStreamsConfig());
        return new KafkaStreamsConfiguration(settings);
    }

    /** The streams application's consumer group, watched by the consumerProgress health indicator. */
    @Bean
    MonitoredGroups routerGroup(KafkaProperties kafka) {
        return () -> List.of(kafka.getStreams().getApplicationId());
    }

    @Bean
    RouterTopology.Settings routerSettings(RouterProperties properties) {
        return new RouterTopology.Settings(properties.pendingTimeout(), Duration.ofSeconds(30),
                properties.dedupeWindow(), Duration.ofHours(1));
    }

    @Bean
    KStream<UUID, ?> routerTopology(StreamsBuilder builder, RouterTopology.Settings settings) {
        return RouterTopology.build(builder, settings);
    }

}
