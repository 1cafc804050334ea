package io.chat4all.hub.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Elasticsearch's cluster health: green → UP, yellow → UP (a single node cannot place replicas),
 * red or no answer → the service's unavailable status ({@code hub.elasticsearch.unavailable-status}:
 * DOWN, or DEGRADED for a service that keeps working without it). Probes {@code /_cluster/health},
 * which every build answers (some answer {@code GET /} with 405).
 */
class ElasticsearchHealthIndicator implements HealthIndicator {

    private static final Log log = LogFactory.getLog(ElasticsearchHealthIndicator.class);

    private final RestClient client;
    private final Status unavailable;

    ElasticsearchHealthIndicator(RestClient client) {
        this(client, Status.DOWN);
    }

    ElasticsearchHealthIndicator(RestClient client, Status unavailable) {
        this.client = client;
        this.unavailable = unavailable;
    }

    @Override
    public Health health() {
        try {
            Response response = client.performRequest(new Request("GET", "/_cluster/health"));
            String body;
            try (InputStream in = response.getEntity().getContent()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String status = body.replaceAll("(?s).*\"status\"\\s*:\\s*\"([a-z]+)\".*", "$1");
            return Health.status("red".equals(status) || status.equals(body) ? unavailable : Status.UP)
                    .withDetail("cluster", status).build();
        } catch (Exception e) {
            log.warn("Elasticsearch health check failed: " + e.getMessage());
            return Health.status(unavailable).withException(e).build();
        }
    }
}
