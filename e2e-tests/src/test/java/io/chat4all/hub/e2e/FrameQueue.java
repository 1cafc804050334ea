package io.chat4all.hub.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** The JSON frames a real-time test client received, taken by type with a deadline. */
final class FrameQueue {

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

    void add(JsonNode frame) {
        frames.add(frame);
    }

    /** The next {@code count} frames of {@code type}, skipping others; fails if they do not come in time. */
    List<JsonNode> take(String type, int count, Duration timeout) throws InterruptedException {
        List<JsonNode> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            long left = deadline - System.nanoTime();
            JsonNode frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("got " + taken.size() + " of " + count + " '" + type + "' frames in " + timeout);
            }
            if (type.equals(frame.path("type").asString())) {
                taken.add(frame);
            }
        }
        return taken;
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
