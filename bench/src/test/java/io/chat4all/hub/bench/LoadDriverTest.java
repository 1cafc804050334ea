package io.chat4all.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generator against a real local HTTP server: what it counts is what the server answered. */
class LoadDriverTest {

    private HttpServer server;
    private final AtomicLong served = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                exchange.getRequestBody().readAllBytes();
                LockSupport.parkNanos(5_000_000); // the service time of the simulated endpoint
                int status = exchange.getRequestURI().getPath().equals("/fail") ? 503 : 202;
                served.incrementAndGet();
                inFlight.decrementAndGet();
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LoadDriver.Call call(String operation, String path) {
        return LoadDriver.Call.of(operation, LoadDriver.Request.post(URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + path), "token", "{}"));
    }

    @Test
    void closedLoopKeepsTheConcurrencyInFlightAndCountsEveryAnswer() {
        try (LoadDriver driver = new LoadDriver("test", () -> call("post", "/ok"), 0, 8)) {
            LoadDriver.Measurement load = driver.drive(Duration.ofSeconds(2));
            assertThat(load.count("post", 202)).isPositive().isEqualTo(served.get());
            assertThat(load.all().getTotalCount()).isEqualTo(served.get());
            assertThat(load.errors()).isZero();
            assertThat(maxInFlight.get()).isBetween(2, 8);
        }
    }

    @Test
    void openLoopSendsExactlyTheScheduleAndSeparatesOperationsAndErrors() {
        AtomicLong n = new AtomicLong();
        try (LoadDriver driver = new LoadDriver("test",
                () -> n.incrementAndGet() % 4 == 0 ? call("failing", "/fail") : call("post", "/ok"), 100, 0)) {
            LoadDriver.Measurement load = driver.drive(Duration.ofSeconds(2));
            assertThat(load.all().getTotalCount()).isEqualTo(200);
            assertThat(load.count("failing", 503)).isEqualTo(50);
            assertThat(load.count("post", 202)).isEqualTo(150);
            assertThat(load.errors()).isEqualTo(50);
            assertThat(load.byOperation()).containsOnlyKeys("failing", "post");
        }
    }

    @Test
    void aRefusedConnectionCountsAsAnError() throws IOException {
        server.stop(0);
        try (LoadDriver driver = new LoadDriver("test", () -> call("post", "/ok"), 20, 0)) {
            LoadDriver.Measurement load = driver.drive(Duration.ofSeconds(1));
            assertThat(load.count("post", -1)).isEqualTo(20);
            assertThat(load.errors()).isEqualTo(20);
        }
    }
}
