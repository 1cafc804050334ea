package io.chat4all.hub.indexer.config;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.chat4all.hub.autoconfigure.ConsumerErrors;
import io.chat4all.hub.autoconfigure.DeadLetters;
import io.chat4all.hub.autoconfigure.S3Properties;
import io.chat4all.hub.autoconfigure.TopicProperties;
import io.chat4all.hub.contracts.kafka.Topics;
import io.chat4all.hub.indexer.IndexerHealth;
import io.chat4all.hub.indexer.cdc.CdcEngine;
import io.chat4all.hub.indexer.cdc.CdcEngines;
import io.chat4all.hub.indexer.cdc.SlotMonitor;
import io.chat4all.hub.indexer.index.ChangeParser;
import io.chat4all.hub.indexer.index.IndexingState;
import io.chat4all.hub.indexer.index.MessageIndexer;
import io.chat4all.hub.indexer.index.OffloadingTransport;
import co.elastic.clients.transport.ElasticsearchTransport;
import io.chat4all.hub.indexer.index.S3TextSource;
import io.chat4all.hub.indexer.index.SearchIndex;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Wiring of indexer: the change-data-capture engine (PostgreSQL → {@code cdc.messages}) and the
 * consumer that bulk-indexes that topic into Elasticsearch. Either side can be switched off per
 * instance ({@code hub.indexer.cdc.enabled}, {@code hub.indexer.indexing.enabled}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IndexerProperties.class)
@EnableScheduling
class IndexerConfiguration {

    /** It writes the CDC topic and the dead letters of what it cannot index. */
    @Bean
    KafkaAdmin.NewTopics ownedTopics(TopicProperties topics) {
        return topics.declare(Topics.CDC_MESSAGES, DeadLetters.of(Topics.CDC_MESSAGES));
    }

    /** The producer of change events: every record acknowledged by all in-sync replicas, no duplicates from retries. */
    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty(name = "hub.indexer.cdc.enabled", matchIfMissing = true)
    Producer<String, String> cdcProducer(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "indexer-cdc");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "hub.indexer.cdc.enabled", matchIfMissing = true)
    CdcEngine cdcEngine(IndexerProperties properties, DataSourceProperties datasource, Producer<String, String> cdcProducer,
                        JdbcTemplate jdbc, MeterRegistry meters) {
        return CdcEngines.create(properties.cdc(), datasource.determineUrl(), datasource.determineUsername(),
                datasource.determinePassword(), cdcProducer, Topics.CDC_MESSAGES.name(), jdbc, meters);
    }

    @Bean
    SlotMonitor slotMonitor(JdbcTemplate jdbc, IndexerProperties properties, MeterRegistry meters) {
        return new SlotMonitor(jdbc, properties.cdc().slotName(), meters);
    }

    @Bean
    SlotCheck slotCheck(SlotMonitor monitor, ObjectProvider<CdcEngine> engine, IndexerProperties properties) {
        return new SlotCheck(monitor, engine.getIfAvailable(), properties.cdc().recoverLostSlot());
    }

    @Bean
    HealthIndicator cdcHealthIndicator(ObjectProvider<CdcEngine> engine, SlotMonitor monitor, IndexerProperties properties) {
        return IndexerHealth.cdc(engine.getIfAvailable(), monitor, properties.cdc().slotLagDegraded());
    }

    @Bean
    IndexingState indexingState(MeterRegistry meters) {
        IndexingState state = new IndexingState(Clock.systemUTC());
        Gauge.builder("hub.indexer.lag", state, IndexingState::lagSeconds).baseUnit("seconds")
                .description("How far search is behind PostgreSQL").register(meters);
        return state;
    }

    @Bean
    HealthIndicator indexingHealthIndicator(IndexingState state) {
        return IndexerHealth.indexing(state);
    }

    @Bean
    ChangeParser changeParser(IndexerProperties properties, MinioClient s3, S3Properties s3Properties) {
        return new ChangeParser(properties.indexAlias(), new S3TextSource(s3, s3Properties.bucket()));
    }

    @Bean
    SearchIndex searchIndex(ElasticsearchClient client, IndexerProperties properties) {
        return new SearchIndex(client, properties.indexAlias(), properties.indexing());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty(name = "hub.indexer.indexing.enabled", matchIfMissing = true)
    MessageIndexer messageIndexer(ChangeParser parser, SearchIndex index, ElasticsearchTransport transport,
                                  IndexerProperties properties, ConsumerErrors errors, IndexingState state, MeterRegistry meters) {
        ElasticsearchAsyncClient client = new ElasticsearchAsyncClient(new OffloadingTransport(transport));
        return new MessageIndexer(parser, index, client, properties.indexing(), errors::deadLetter, state, meters);
    }

    /**
     * Batches of the CDC topic, with the service's ConsumerErrors: a batch Elasticsearch could not
     * take is retried with backoff (capped at 30 s) for as long as it is away, so nothing is skipped;
     * any other failure gets bounded attempts, then its record goes to {@code cdc.messages-dlt}.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "hub.indexer.indexing.enabled", matchIfMissing = true)
    ConcurrentKafkaListenerContainerFactory<String, String> cdcListenerFactory(KafkaProperties kafka,
                                                                               IndexerProperties properties,
                                                                               ConsumerErrors errors) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.indexing().batchSize());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ConcurrentKafkaListenerContainerFactory<String, String> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer,
                Topics.CDC_MESSAGES.keySerde().deserializer(), Topics.CDC_MESSAGES.valueSerde().deserializer()));
        factory.setBatchListener(true);
        factory.setConcurrency(properties.indexing().concurrency());
        factory.setCommonErrorHandler(errors.handler());
        return factory;
    }

    /**
     * Reads the slot's state on {@code hub.indexer.cdc.slot-check-interval}; a slot found lost and
     * not held restarts this instance's engine, whose start recovers it ({@code LostSlotRecovery}).
     */
    static final class SlotCheck {

        private final SlotMonitor monitor;
        private final CdcEngine engine;
        private final boolean recover;

        SlotCheck(SlotMonitor monitor, CdcEngine engine, boolean recover) {
            this.monitor = monitor;
            this.engine = engine;
            this.recover = recover;
        }

        @Scheduled(fixedDelayString = "${hub.indexer.cdc.slot-check-interval:10s}", initialDelay = 0)
        void check() {
            monitor.refresh();
            SlotMonitor.Slot slot = monitor.slot();
            if (recover && engine != null && "lost".equals(slot.walStatus()) && !slot.active()) {
                engine.restartForLostSlot();
            }
        }
    }
}
