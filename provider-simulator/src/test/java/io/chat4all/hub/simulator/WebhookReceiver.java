package io.chat4all.hub.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny webhook receiver (the channel adapters' side): records every POST, answers 200 unless told otherwise. */
final class WebhookReceiver {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One POST as received: the exact body bytes and the headers that matter. */
    record Received(String path, String contentType, String signature, byte[] body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Whether {@code X-Hub-Signature-256} is {@code sha256=<hex HMAC-SHA256(secret, body)>}. */
        boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).equals(signature);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Answer {@code status} to the next {@code times} POSTs whose body contains {@code marker}. */
    private record Rule(String marker, int status, AtomicInteger remaining) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    private WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static WebhookReceiver start() {
        return new WebhookReceiver();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The POSTs whose body contains {@code marker} (a wamid, mid, phone number, IGSID), in arrival order. */
    List<Received> containing(String marker) {
        return received.stream().filter(r -> r.text().contains(marker)).toList();
    }

    void answer(int status, int times, String whenBodyContains) {
        rules.add(new Rule(whenBodyContains, status, new AtomicInteger(times)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"), body));
            exchange.sendResponseHeaders(statusFor(new String(body, StandardCharsets.UTF_8)), -1);
        } finally {
            exchange.close();
        }
    }

    private int statusFor(String body) {
        return rules.stream()
                .filter(rule -> body.contains(rule.marker()) && rule.remaining().getAndDecrement() > 0)
                .findFirst()
                .map(Rule::status)
                .orElse(200);
    }
}
