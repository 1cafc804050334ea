package io.chat4all.hub.storage.config;

import io.chat4all.hub.autoconfigure.ConsumerErrors;
import io.chat4all.hub.autoconfigure.DeadLetters;
import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.MessageRouted;
import io.chat4all.hub.contracts.events.ParticipantMessage;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Wiring of storage-writer: one batch listener container per topic it reads (typed by the topic's
 * contract, read-committed because the router writes in transactions) and the service's
 * {@link ConsumerErrors}: a record PostgreSQL refuses or that cannot be read goes to
 * {@code <topic>-dlt} with its reason (BatchWriter names it; the rest of its batch is stored); a
 * database outage is waited out, so nothing is skipped.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageWriterProperties.class)
class StorageWriterConfiguration {

    /** The dead-letter topics of the topics it reads (it is their only writer). */
    @Bean
    KafkaAdmin.NewTopics ownedTopics(TopicProperties topics) {
        return topics.declare(DeadLetters.of(Topics.MESSAGES_ROUTED), DeadLetters.of(Topics.PARTICIPANT_MESSAGES),
                DeadLetters.of(Topics.MESSAGE_STATUS), DeadLetters.of(Topics.WHATSAPP_STATUS),
                DeadLetters.of(Topics.INSTAGRAM_STATUS));
    }

    /** The topics it reads, made sure to exist with their writer's settings (it may start before the router). */
    @Bean
    KafkaAdmin.NewTopics inputTopics(TopicProperties topics) {
        return topics.declare(Topics.MESSAGES_ROUTED, Topics.PARTICIPANT_MESSAGES, Topics.MESSAGE_STATUS,
                Topics.WHATSAPP_STATUS, Topics.INSTAGRAM_STATUS);
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<UUID, MessageRouted> routedListenerFactory(KafkaProperties kafka,
            StorageWriterProperties properties, ConsumerErrors errors) {
        return factory(Topics.MESSAGES_ROUTED, kafka, properties, errors, Map.of());
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<UUID, ParticipantMessage> participantListenerFactory(KafkaProperties kafka,
            StorageWriterProperties properties, ConsumerErrors errors) {
        // Copies are fetched in bigger, slightly later batches than their messages: fewer
        // transactions, and the message's row is usually stored by then, so its copies are stored
        // without the payload (HistoryStore#saveCopies).
        return factory(Topics.PARTICIPANT_MESSAGES, kafka, properties, errors, Map.of(
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, properties.copyFetchMinBytes(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) properties.copyFetchWait().toMillis()));
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<UUID, DeliveryStatusChanged> statusListenerFactory(KafkaProperties kafka,
            StorageWriterProperties properties, ConsumerErrors errors) {
        return factory(Topics.MESSAGE_STATUS, kafka, properties, errors, Map.of());
    }

    private static <V> ConcurrentKafkaListenerContainerFactory<UUID, V> factory(TopicSpec<UUID, V> topic,
            KafkaProperties kafka, StorageWriterProperties properties, ConsumerErrors errors, Map<String, Object> extra) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.putAll(extra);
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.batchSize());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ConcurrentKafkaListenerContainerFactory<UUID, V> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer,
                new ErrorHandlingDeserializer<>(topic.keySerde().deserializer()),
                new ErrorHandlingDeserializer<>(topic.valueSerde().deserializer())));
        factory.setBatchListener(true);
        factory.setConcurrency(properties.concurrency());
        factory.setCommonErrorHandler(errors.handler());
        return factory;
    }
}
