package io.chat4all.hub.e2e;

import io.chat4all.hub.localstack.junit.HubApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for tests of {@code /v1/ws}: queues the JSON text frames it receives. */
final class WsClient extends FrameClient implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;
    private volatile boolean reading = true;

    /** Connects with the token in the {@code Authorization} header, or (browser style) as a subprotocol. */
    static WsClient connect(String baseUrl, String token, boolean tokenAsSubprotocol) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tokenAsSubprotocol) {
            builder.subprotocols("chat4all.v1", "bearer." + token);
        } else {
            builder.header("Authorization", "Bearer " + token).subprotocols("chat4all.v1");
        }
        client.socket = builder.buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/v1/ws"), client).join();
        return client;
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(HubApi.JSON.readTree(partial.toString()));
            partial.setLength(0);
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        if (reading) {
            webSocket.request(1); // the client answers pings only while it reads
        }
        return null;
    }

    /** Stops reading frames: pings go unanswered, as from a client that vanished. */
    void stopReading() {
        reading = false;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    /** The close code the server sent, waiting up to {@code timeout}. */
    int closeCode(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
