package io.chat4all.hub.gateway.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/** A stream's buffer: what two dispatching threads offer at once all arrives; a full buffer closes the stream. */
class SubscriberTest {

    private static final UUID OWNER = UUID.randomUUID();
    private static final UUID CONVERSATION = UUID.randomUUID();

    @Test
    void shouldKeepEveryEventOfferedByTwoThreadsAtOnce() throws Exception {
        Subscriber subscriber = new Subscriber(OWNER, 50_000);
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread messages = new Thread(() -> offer(subscriber, start, each, true));
        Thread statuses = new Thread(() -> offer(subscriber, start, each, false));
        messages.start();
        statuses.start();
        start.countDown();
        messages.join();
        statuses.join();
        List<LiveEvent> received = subscriber.live().take(Duration.ofSeconds(2)).collectList().block(Duration.ofSeconds(10));
        assertThat(received).hasSize(2 * each);
    }

    @Test
    void shouldCloseTheStreamWhenItsBufferIsFull() {
        Subscriber subscriber = new Subscriber(OWNER, 4);
        subscriber.live().subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // a client that never reads: requests nothing
            }
        });
        for (int i = 0; i < 4; i++) {
            assertThat(subscriber.offer(message(i))).isTrue();
        }
        assertThat(subscriber.offer(message(4))).isFalse();
        assertThat(subscriber.closed().block(Duration.ofSeconds(1))).startsWith("slow_consumer");
    }

    @Test
    void shouldBoundTheBufferAlsoBeforeTheStreamSubscribes() {
        Subscriber replaying = new Subscriber(OWNER, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(replaying.offer(message(i))).isTrue();
        }
        assertThat(replaying.offer(message(4))).as("still replaying, nobody reads the live buffer yet").isFalse();
        assertThat(replaying.closed().block(Duration.ofSeconds(1))).startsWith("slow_consumer");
    }

    private static void offer(Subscriber subscriber, CountDownLatch start, int count, boolean messages) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < count; i++) {
            assertThat(subscriber.offer(messages ? message(i) : status())).isTrue();
        }
    }

    private static StreamEvent message(long offset) {
        return new StreamEvent(new StreamCursor(0, offset), UUID.randomUUID(), offset, CONVERSATION, OWNER,
                Map.of("type", "text", "text", "hi"), Map.of(), "in_transit", Instant.now());
    }

    private static StatusEvent status() {
        return new StatusEvent(UUID.randomUUID(), CONVERSATION, null, null, "in_transit", Instant.now(), null, null);
    }
}
