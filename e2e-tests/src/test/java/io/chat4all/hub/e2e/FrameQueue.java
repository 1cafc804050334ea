package io.chat4all.hub.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** The JSON frames a real-time test client received, taken by type with a deadline. */
final class FrameQueue {

    private final BlockingDeque<JsonNode> frames = new LinkedBlockingDeque<>();

    void add(JsonNode frame) {
        frames.add(frame);
    }

    /**
     * The next {@code count} frames of {@code type}; frames of other types met on the way stay
     * queued, in order, for later takes. Fails if they do not come in time.
     */
    List<JsonNode> take(String type, int count, Duration timeout) throws InterruptedException {
        List<JsonNode> taken = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (taken.size() < count) {
                long left = deadline - System.nanoTime();
                JsonNode frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("got " + taken.size() + " of " + count + " '" + type + "' frames in " + timeout);
                }
                (type.equals(frame.path("type").asString()) ? taken : others).add(frame);
            }
            return taken;
        } finally {
            for (int i = others.size() - 1; i >= 0; i--) {
                frames.addFirst(others.get(i));
            }
        }
    }

    /** The next frame of any type, or null after {@code timeout}. */
    JsonNode next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Frames already received and not taken. */
    List<JsonNode> pending() {
        List<JsonNode> left = new ArrayList<>();
        frames.drainTo(left);
        return left;
    }
}
