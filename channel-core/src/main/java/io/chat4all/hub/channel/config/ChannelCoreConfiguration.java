package io.chat4all.hub.channel.config;

import io.chat4all.hub.autoconfigure.ConsumerErrors;
import io.chat4all.hub.autoconfigure.DeadLetters;
import io.chat4all.hub.autoconfigure.S3Properties;
import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.channel.domain.ProviderClient;
import io.chat4all.hub.channel.domain.RetryPolicy;
import io.chat4all.hub.channel.domain.TokenBucket;
import io.chat4all.hub.channel.messaging.InboundPublisher;
import io.chat4all.hub.channel.messaging.OutboundDelivery;
import io.chat4all.hub.channel.messaging.OutboundListener;
import io.chat4all.hub.channel.messaging.StatusPublisher;
import io.chat4all.hub.channel.messaging.WebhookStatuses;
import io.chat4all.hub.channel.persistence.DeliveryLedger;
import io.chat4all.hub.channel.persistence.FileLinks;
import io.chat4all.hub.channel.web.WebhookController;
import io.chat4all.hub.channel.web.WebhookParser;
import io.chat4all.hub.channel.web.WebhookSignature;
import io.chat4all.hub.channel.web.WebhookVerification;
import io.chat4all.hub.channel.web.WebhookWork;
import io.chat4all.hub.contracts.events.ChannelOutbound;
import io.chat4all.hub.contracts.events.DeliveryStatusChanged;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.chat4all.hub.contracts.kafka.TopicSpec;
import io.chat4all.hub.contracts.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * The part of every channel adapter that does not depend on the provider. An adapter imports it
 * and supplies a {@link ProviderClient}; this wires the outbound consumer, the ledger, the status
 * and inbound publishers and the webhook status logic around it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ChannelProperties.class, S3Properties.class})
public class ChannelCoreConfiguration {

    /** What the adapter writes (it is the only writer): its statuses, its inbound messages, its dead letters. */
    @Bean
    KafkaAdmin.NewTopics channelOwnedTopics(TopicProperties topics, ProviderClient provider) {
        return topics.declare(Topics.statusOf(provider.channel()), Topics.inboundOf(provider.channel()),
                DeadLetters.of(Topics.outboundOf(provider.channel())));
    }

    /** What it reads, made sure to exist (it may start before the router). */
    @Bean
    KafkaAdmin.NewTopics channelInputTopics(TopicProperties topics, ProviderClient provider) {
        return topics.declare(Topics.outboundOf(provider.channel()));
    }

    @Bean
    Clock channelClock() {
        return Clock.systemUTC();
    }

    @Bean
    DeliveryLedger deliveryLedger(JdbcTemplate jdbc) {
        return new DeliveryLedger(jdbc);
    }

    @Bean
    StatusPublisher statusPublisher(KafkaProperties kafka, ProviderClient provider, Clock channelClock) {
        TopicSpec<UUID, DeliveryStatusChanged> topic = Topics.statusOf(provider.channel());
        return new StatusPublisher(template(kafka, topic), topic, channelClock);
    }

    @Bean
    InboundPublisher inboundPublisher(KafkaProperties kafka, ProviderClient provider) {
        TopicSpec<String, InboundChannelMessage> topic = Topics.inboundOf(provider.channel());
        return new InboundPublisher(template(kafka, topic), topic);
    }

    /** Links to attachments, signed for the storage address the provider reaches. */
    @Bean
    FileLinks fileLinks(JdbcTemplate jdbc, S3Properties s3, ChannelProperties properties) {
        String endpoint = properties.storagePublicEndpoint() == null || properties.storagePublicEndpoint().isBlank()
                ? s3.endpoint() : properties.storagePublicEndpoint();
        boolean credentials = s3.accessKey() != null && !s3.accessKey().isBlank() && s3.secretKey() != null
                && !s3.secretKey().isBlank();
        MinioClient presigner = credentials ? MinioClient.builder().endpoint(endpoint).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build() : null;
        return new FileLinks(jdbc, presigner, s3.bucket(), properties.fileLinkExpiry());
    }

    @Bean
    OutboundDelivery outboundDelivery(ProviderClient provider, DeliveryLedger ledger, StatusPublisher statuses,
                                      ChannelProperties properties, MeterRegistry meters, FileLinks files) {
        RetryPolicy retries = new RetryPolicy(properties.maxAttempts(), properties.initialBackoff(),
                properties.maxBackoff());
        return new OutboundDelivery(provider, ledger, statuses, retries,
                account -> new TokenBucket(properties.messagesPerSecond(), properties.burst()), meters,
                OutboundDelivery.Sleeper.real(), files);
    }

    @Bean
    OutboundListener outboundListener(OutboundDelivery delivery, ProviderClient provider) {
        return new OutboundListener(delivery, Topics.outboundOf(provider.channel()));
    }

    @Bean
    WebhookStatuses webhookStatuses(ProviderClient provider, DeliveryLedger ledger, StatusPublisher statuses,
                                    MeterRegistry meters) {
        return new WebhookStatuses(provider.channel(), ledger, statuses, meters);
    }

    /**
     * {@code /webhooks/<channel>}. The adapter supplies its {@link WebhookParser}, its app secret's
     * {@link WebhookSignature} and its {@link WebhookVerification}.
     */
    @Bean
    WebhookController webhookController(ProviderClient provider, WebhookParser parser, WebhookSignature signature,
                                        WebhookVerification verification, WebhookStatuses statuses,
                                        InboundPublisher inbound, WebhookWork work, MeterRegistry meters,
                                        ChannelProperties properties) {
        return new WebhookController(provider.channel(), parser, signature, verification, statuses, inbound, work,
                meters, properties.webhookReplayWindow(), java.time.Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    WebhookWork webhookWork(org.springframework.core.env.Environment environment) {
        return new WebhookWork(environment.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 10));
    }

    /**
     * One outbound record at a time per consumer thread, with the service's {@link ConsumerErrors}:
     * a delivery whose retries ran out, or a record that cannot be read, goes to {@code <topic>-dlt}
     * at once; an outage (the database or the broker away) is waited out, so nothing is skipped.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<UUID, ChannelOutbound> outboundListenerFactory(KafkaProperties kafka,
            ProviderClient provider, ChannelProperties properties, ConsumerErrors errors) {
        TopicSpec<UUID, ChannelOutbound> topic = Topics.outboundOf(provider.channel());
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        consumer.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) properties.worstCasePerPoll().toMillis());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ConcurrentKafkaListenerContainerFactory<UUID, ChannelOutbound> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer,
                new ErrorHandlingDeserializer<>(topic.keySerde().deserializer()),
                new ErrorHandlingDeserializer<>(topic.valueSerde().deserializer())));
        factory.setConcurrency(properties.concurrency());
        factory.setCommonErrorHandler(errors.handler());
        return factory;
    }

    private static <K, V> KafkaTemplate<K, V> template(KafkaProperties kafka, TopicSpec<K, V> topic) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer, topic.keySerde().serializer(),
                topic.valueSerde().serializer()));
    }
}
