package io.chat4all.hub.autoconfigure;

import java.util.HashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Admin clients of their own (short timeouts: 3 s per request, 5 s per call) on Spring Boot's admin
 * settings, for code that asks the broker about itself (health, progress, stats) and must not hang
 * when it is away. A class apart so only services with Kafka load it.
 */
public final class KafkaAdmins {

    private KafkaAdmins() {
    }

    /** {@code purpose} prefixes the client id ({@code health-…}, {@code stats-…}). */
    public static Admin shortTimeouts(KafkaAdmin kafkaAdmin, String purpose) {
        var config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, purpose + "-"
                + config.getOrDefault(AdminClientConfig.CLIENT_ID_CONFIG, "hub"));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return Admin.create(config);
    }
}
