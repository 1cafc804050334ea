package io.chat4all.hub.autoconfigure;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.minio.MinioClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.web.server.WebFilter;

/**
 * Clients and health indicators of the engines a service uses: {@code kafka} (switched on by
 * Spring Boot's Kafka auto-configuration), {@code s3} and {@code elasticsearch} (switched on by the
 * service declaring {@code hub.s3.enabled} / {@code hub.elasticsearch.enabled}). PostgreSQL is
 * Spring Boot's own {@code db} indicator.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
public class HubEngineAutoConfiguration {

    /** Unknown nested health paths answer 404, not 500 ({@link HealthPathGuard}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebFilter.class)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class HealthPathConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HealthPathGuard healthPathGuard(Environment environment) {
            return new HealthPathGuard(environment.getProperty("management.endpoints.web.base-path", "/actuator"));
        }
    }


    /**
     * Health probes cached ({@code hub.health.cache-ttl}, {@code HUB_HEALTH_CACHE_TTL}, 2 s; 0 turns
     * it off): see {@link CachedHealthIndicators}.
     */
    @Bean
    static CachedHealthIndicators cachedHealthIndicators(Environment environment) {
        Duration ttl = Binder.get(environment).bind("hub.health.cache-ttl", Duration.class)
                .orElse(Duration.ofSeconds(2));
        return new CachedHealthIndicators(ttl, Clock.systemUTC());
    }

    /** Kafka: a health indicator on the admin client settings Spring Boot built from {@code spring.kafka.*}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaAdmin.class)
    @ConditionalOnBean(KafkaAdmin.class)
    @EnableConfigurationProperties(TopicProperties.class)
    static class KafkaHealthConfiguration {

        @Bean(name = "kafkaHealthIndicator")
        @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
        KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
            return new KafkaHealthIndicator(KafkaAdmins.shortTimeouts(kafkaAdmin, "health"), Duration.ofSeconds(3));
        }

    }

    /**
     * Consumers: one {@link ConsumerErrors} per service (dead letters with their reason, bounded
     * retries, outages waited out) and the {@code consumerProgress} health indicator over every
     * listener container's group and any {@link MonitoredGroups} the service declares.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({KafkaAdmin.class, KafkaProperties.class, MeterRegistry.class})
    @ConditionalOnBean(KafkaAdmin.class)
    @EnableConfigurationProperties(ConsumerProperties.class)
    static class ConsumerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ConsumerErrors consumerErrors(KafkaProperties kafka, ObjectProvider<MeterRegistry> meters,
                                      ConsumerProperties properties) {
            return new ConsumerErrors(new HashMap<>(kafka.buildProducerProperties()),
                    meters.getIfAvailable(SimpleMeterRegistry::new), properties);
        }

        @Bean(name = "consumerProgressHealthIndicator")
        @ConditionalOnMissingBean(name = "consumerProgressHealthIndicator")
        ConsumerProgressHealthIndicator consumerProgressHealthIndicator(KafkaAdmin kafkaAdmin,
                ObjectProvider<KafkaListenerEndpointRegistry> listeners, ObjectProvider<MonitoredGroups> declared,
                ConsumerProperties properties) {
            Supplier<Collection<String>> groups = () -> {
                Set<String> names = new TreeSet<>();
                listeners.ifAvailable(registry -> registry.getListenerContainers().stream()
                        .map(MessageListenerContainer::getGroupId).filter(Objects::nonNull).forEach(names::add));
                declared.orderedStream().forEach(monitored -> names.addAll(monitored.groups()));
                return names;
            };
            return new ConsumerProgressHealthIndicator(KafkaAdmins.shortTimeouts(kafkaAdmin, "progress"), groups, properties.stallAfter(),
                    Duration.ofSeconds(3), Clock.systemUTC());
        }
    }

    /** S3: a MinIO client for {@code hub.s3.*} and its health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MinioClient.class)
    @ConditionalOnBooleanProperty("hub.s3.enabled")
    @EnableConfigurationProperties(S3Properties.class)
    static class S3Configuration {

        @Bean
        @ConditionalOnMissingBean
        MinioClient minioClient(S3Properties properties) {
            MinioClient.Builder builder = MinioClient.builder()
                    .endpoint(properties.endpoint())
                    .region(properties.region());
            if (hasText(properties.accessKey()) && hasText(properties.secretKey())) {
                builder.credentials(properties.accessKey(), properties.secretKey());
            }
            MinioClient client = builder.build();
            client.setTimeout(Duration.ofSeconds(5).toMillis(), Duration.ofSeconds(60).toMillis(), Duration.ofSeconds(60).toMillis());
            return client;
        }

        @Bean(name = "s3HealthIndicator")
        @ConditionalOnMissingBean(name = "s3HealthIndicator")
        S3HealthIndicator s3HealthIndicator(MinioClient client, S3Properties properties) {
            return new S3HealthIndicator(client, properties);
        }

        private static boolean hasText(String value) {
            return value != null && !value.isBlank();
        }
    }

    /** Elasticsearch: the low-level REST client for {@code hub.elasticsearch.url} and its health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RestClient.class, ElasticsearchClient.class, JacksonJsonpMapper.class})
    @ConditionalOnBooleanProperty("hub.elasticsearch.enabled")
    @EnableConfigurationProperties(ElasticsearchProperties.class)
    static class ElasticsearchConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RestClient elasticsearchRestClient(ElasticsearchProperties properties) {
            return RestClient.builder(HttpHost.create(properties.url()))
                    .setRequestConfigCallback(config -> config
                            .setConnectTimeout((int) properties.connectTimeout().toMillis())
                            .setSocketTimeout((int) properties.socketTimeout().toMillis()))
                    .build();
        }

        /** The typed client over the REST client (JSON mapped by Jackson 2, as the client requires). */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        ElasticsearchTransport elasticsearchTransport(RestClient client) {
            return new RestClientTransport(client, new JacksonJsonpMapper());
        }

        @Bean
        @ConditionalOnMissingBean
        ElasticsearchClient elasticsearchClient(ElasticsearchTransport transport) {
            return new ElasticsearchClient(transport);
        }

        @Bean
        @ConditionalOnMissingBean
        ElasticsearchAsyncClient elasticsearchAsyncClient(ElasticsearchTransport transport) {
            return new ElasticsearchAsyncClient(transport);
        }

        @Bean(name = "elasticsearchHealthIndicator")
        @ConditionalOnMissingBean(name = "elasticsearchHealthIndicator")
        ElasticsearchHealthIndicator elasticsearchHealthIndicator(RestClient client, ElasticsearchProperties properties) {
            return new ElasticsearchHealthIndicator(client,
                    new Status(properties.unavailableStatus()));
        }
    }
}
