package io.chat4all.hub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a service's Prometheus endpoint ({@code /actuator/prometheus} on its management URL). */
final class Metrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Metrics() {
    }

    /** The sum of every series of {@code name} whose labels contain {@code label} (null: every series). */
    static double sum(String serviceUrl, String name, String label) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.body().lines()
                    .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .filter(l -> label == null || l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the metrics of " + serviceUrl + ": " + e.getMessage(), e);
        }
    }
}
