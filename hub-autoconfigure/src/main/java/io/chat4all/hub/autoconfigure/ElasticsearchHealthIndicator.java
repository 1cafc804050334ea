package io.chat4all.hub.autoconfigure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Elasticsearch's cluster health: green → UP, yellow → UP (a single node cannot place replicas),
 * red or no answer → DOWN. Probes {@code /_cluster/health}, which every build answers (some answer
 * {@code GET /} with 405).
 */
class ElasticsearchHealthIndicator extends AbstractHealthIndicator {

    private final RestClient client;

    ElasticsearchHealthIndicator(RestClient client) {
        super("Elasticsearch health check failed");
        this.client = client;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Response response = client.performRequest(new Request("GET", "/_cluster/health"));
        String body;
        try (InputStream in = response.getEntity().getContent()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String status = body.replaceAll("(?s).*\"status\"\\s*:\\s*\"([a-z]+)\".*", "$1");
        builder.status("red".equals(status) || status.equals(body) ? "DOWN" : "UP").withDetail("cluster", status);
    }
}
