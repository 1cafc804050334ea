package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.autoconfigure.ConsumerErrors;
import io.chat4all.hub.autoconfigure.DeadLetters;
import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.kafka.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * The gateway's consumer of customers' inbound channel messages (one consumer group shared by all
 * gateway instances), with the service's {@link ConsumerErrors}: unreadable records and messages
 * to an address no user owns go to {@code <topic>-dlt}; an outage (database, broker) is waited out.
 */
@Configuration(proxyBeanMethods = false)
class InboundConfiguration {

    @Bean
    KafkaAdmin.NewTopics inboundTopics(TopicProperties topics) {
        return topics.declare(Topics.WHATSAPP_INBOUND, Topics.INSTAGRAM_INBOUND,
                DeadLetters.of(Topics.WHATSAPP_INBOUND), DeadLetters.of(Topics.INSTAGRAM_INBOUND));
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, InboundChannelMessage> inboundListenerFactory(KafkaProperties kafka,
            ConsumerErrors errors) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        ConcurrentKafkaListenerContainerFactory<String, InboundChannelMessage> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer,
                new ErrorHandlingDeserializer<>(Topics.WHATSAPP_INBOUND.keySerde().deserializer()),
                new ErrorHandlingDeserializer<>(Topics.WHATSAPP_INBOUND.valueSerde().deserializer())));
        factory.setCommonErrorHandler(errors.handler());
        return factory;
    }
}
