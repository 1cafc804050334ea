package io.chat4all.hub.localstack.junit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every hub service must show once booted against the stack: the actuator on its management
 * port only (the public port answers 404 there), overall health UP with one UP indicator per engine
 * it uses and no details for an anonymous caller, liveness and readiness probes, Prometheus
 * metrics, nothing else of the actuator exposed.
 */
public final class ServiceChecks {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ServiceChecks() {
    }

    /**
     * Fails unless the service whose API is on {@code port} and actuator on {@code managementPort}
     * is UP with exactly these dependency indicators UP among its components.
     */
    public static void assertHealthy(int port, int managementPort, String... dependencyIndicators) {
        check(port != managementPort, "the actuator shares the public port " + port);
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator")) {
            HttpResponse<String> response = get("http://127.0.0.1:" + port + path);
            check(response.statusCode() == 404, "the public port answered " + path + " with " + response.statusCode()
                    + " (the actuator belongs on the management port only): " + response.body());
        }
        String base = "http://127.0.0.1:" + managementPort + "/actuator";
        HttpResponse<String> health = get(base + "/health");
        check(health.statusCode() == 200, "GET /actuator/health answered " + health.statusCode() + ": " + health.body());
        JsonNode root = JSON.readTree(health.body());
        check("UP".equals(root.path("status").asString()), "health is not UP: " + health.body());
        JsonNode components = root.path("components");
        for (String indicator : dependencyIndicators) {
            String status = components.path(indicator).path("status").asString();
            check("UP".equals(status), "indicator '" + indicator + "' is " + (status.isEmpty() ? "missing" : status)
                    + ": " + health.body());
            check(components.path(indicator).path("details").isMissingNode(), "indicator '" + indicator
                    + "' shows its details to an anonymous caller: " + health.body());
        }
        Set<String> engines = new TreeSet<>(List.of("kafka", "db", "s3", "elasticsearch"));
        engines.removeAll(Set.of(dependencyIndicators));
        for (String unused : engines) {
            check(components.path(unused).isMissingNode(), "indicator '" + unused
                    + "' is present but this service does not use that engine: " + health.body());
        }
        for (String probe : List.of("liveness", "readiness")) {
            HttpResponse<String> response = get(base + "/health/" + probe);
            check(response.statusCode() == 200, probe + " probe answered " + response.statusCode() + ": " + response.body());
        }
        HttpResponse<String> metrics = get(base + "/prometheus");
        check(metrics.statusCode() == 200 && metrics.body().contains("jvm_memory_used_bytes"),
                "prometheus endpoint answered " + metrics.statusCode());
        for (String unknown : List.of("/health/no-such-component", "/health/no-such-component/nor-this",
                "/health/liveness/extra", "/health/" + dependencyIndicatorOr(dependencyIndicators) + "/extra/more")) {
            HttpResponse<String> response = get(base + unknown);
            check(response.statusCode() == 404, "GET /actuator" + unknown + " must answer 404, answered "
                    + response.statusCode() + ": " + response.body());
        }
        HttpResponse<String> env = get(base + "/env");
        check(env.statusCode() == 404, "/actuator/env must not be exposed, answered " + env.statusCode());
    }

    private static String dependencyIndicatorOr(String[] indicators) {
        return indicators.length == 0 ? "diskSpace" : indicators[0];
    }

    /** Fails unless all these topics exist on the stack's Kafka. */
    public static void assertTopicsExist(String bootstrapServers, String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            for (String topic : topics) {
                check(existing.contains(topic), "topic " + topic + " does not exist; existing: " + existing);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("cannot list topics on " + bootstrapServers, e);
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted calling " + url, e);
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot call " + url + ": " + e.getMessage(), e);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
