package io.chat4all.hub.simulator.config;

import io.chat4all.hub.simulator.domain.Faults;
import io.chat4all.hub.simulator.domain.RequestLog;
import io.chat4all.hub.simulator.webhook.WebhookLog;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wiring of provider-simulator. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SimulatorProperties.class)
class SimulatorConfiguration {

    private static final int WEBHOOK_THREADS = 4;

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Sends webhooks asynchronously ({@code sendAsync}); HTTP/1.1 like Meta's webhook client. Its futures
     * complete on a few daemon threads, bounded unlike the JDK client's default executor (and not a bean,
     * which would make Boot's own task executor back off).
     */
    @Bean
    HttpClient webhookHttpClient() {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(WEBHOOK_THREADS, task -> {
            Thread thread = new Thread(task, "webhook-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return HttpClient.newBuilder()
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Bean
    Faults faults() {
        return new Faults();
    }

    @Bean
    RequestLog requestLog(SimulatorProperties properties) {
        return new RequestLog(properties.maxRecords());
    }

    @Bean
    WebhookLog webhookLog(SimulatorProperties properties) {
        return new WebhookLog(properties.maxRecords());
    }
}
