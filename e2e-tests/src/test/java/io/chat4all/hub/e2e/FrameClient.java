package io.chat4all.hub.e2e;

import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What the real-time test clients (SSE, WebSocket) share: the frames they received, taken by type. */
abstract class FrameClient implements AutoCloseable {

    protected final FrameQueue frames = new FrameQueue();

    List<JsonNode> take(String type, int count, Duration timeout) throws InterruptedException {
        return frames.take(type, count, timeout);
    }

    JsonNode next(Duration timeout) throws InterruptedException {
        return frames.next(timeout);
    }

    List<JsonNode> pending() {
        return frames.pending();
    }

    FrameQueue frames() {
        return frames;
    }

    @Override
    public abstract void close();
}
