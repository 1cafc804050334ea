package io.chat4all.hub.channel.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.chat4all.hub.channel.domain.SendOutcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The classification of real HTTP answers in Meta's error format. */
class GraphApiTest {

    private final AtomicReference<Answer> next = new AtomicReference<>();
    private final AtomicReference<String> receivedAuthorization = new AtomicReference<>();
    private HttpServer server;
    private URI uri;
    private final GraphApi api = new GraphApi(Duration.ofMillis(800));

    /** @param hang true: the server holds the request until the test ends (a provider that never answers) */
    record Answer(int status, String body, boolean hang) {
    }

    private final CountDownLatch testOver = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v21.0/123/messages", exchange -> {
            receivedAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().readAllBytes();
            Answer answer = next.get();
            if (answer.hang()) {
                try {
                    testOver.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v21.0/123/messages");
    }

    @AfterEach
    void stopServer() {
        testOver.countDown();
        server.stop(0);
    }

    private SendOutcome send(int status, String body) {
        next.set(new Answer(status, body, false));
        return api.post(uri, "token-1", Map.of("to", "5511"), answer -> answer.path("messages").path(0).path("id")
                .asString(null), Set.of(130429, 131000));
    }

    @Test
    void shouldReadTheProviderIdOfASuccessAndSendTheBearerToken() {
        SendOutcome outcome = send(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.ABC\"}]}");

        assertThat(outcome).isEqualTo(new SendOutcome.Sent("wamid.ABC"));
        assertThat(receivedAuthorization.get()).isEqualTo("Bearer token-1");
    }

    @Test
    void shouldRetryThrottlingAndServerTroubleButNotAPermanentRefusal() {
        assertThat(send(429, "{\"error\":{\"code\":130429,\"message\":\"(#130429) Rate limit hit\"}}"))
                .isInstanceOf(SendOutcome.Transient.class).extracting(o -> ((SendOutcome.Transient) o).code())
                .isEqualTo("130429");
        assertThat(send(400, "{\"error\":{\"code\":131000,\"message\":\"Something went wrong\"}}"))
                .isInstanceOf(SendOutcome.Transient.class);
        assertThat(send(503, "<html>bad gateway</html>")).isEqualTo(
                new SendOutcome.Transient("http_503", "HTTP 503", null));
        assertThat(send(401, "{\"error\":{\"code\":190,\"message\":\"Invalid OAuth access token\"}}"))
                .as("a refused token waits for an operator, it does not fail deliveries")
                .isEqualTo(new SendOutcome.Unauthorized("190", "Invalid OAuth access token"));
        assertThat(send(400, "{\"error\":{\"code\":131026,\"message\":\"Message Undeliverable\","
                + "\"error_data\":{\"details\":\"not a WhatsApp user\"}}}"))
                .isEqualTo(new SendOutcome.Permanent("131026", "Message Undeliverable: not a WhatsApp user"));
    }

    @Test
    void shouldCountASlowAnswerAsATransientTimeout() {
        next.set(new Answer(200, "{\"messages\":[{\"id\":\"late\"}]}", true));

        SendOutcome outcome = api.post(uri, "t", Map.of(), answer -> "x", Set.of());

        assertThat(outcome).isInstanceOf(SendOutcome.Transient.class)
                .extracting(o -> ((SendOutcome.Transient) o).code()).isEqualTo("timeout");
    }
}
