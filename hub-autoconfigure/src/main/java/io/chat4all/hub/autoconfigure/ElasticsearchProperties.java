package io.chat4all.hub.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Elasticsearch.
 *
 * @param url            base URL ({@code ELASTICSEARCH_URL})
 * @param connectTimeout TCP connect timeout
 * @param socketTimeout  read timeout
 * @param unavailableStatus health status when Elasticsearch is unreachable or red: {@code DOWN}, or
 *                          {@code DEGRADED} for a service that keeps working without it (indexer)
 */
@ConfigurationProperties("hub.elasticsearch")
public record ElasticsearchProperties(String url, Duration connectTimeout, Duration socketTimeout,
                                      String unavailableStatus) {

    public ElasticsearchProperties {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        socketTimeout = socketTimeout == null ? Duration.ofSeconds(30) : socketTimeout;
        unavailableStatus = unavailableStatus == null || unavailableStatus.isBlank() ? "DOWN" : unavailableStatus;
    }
}
