package io.chat4all.hub.channel.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(0);

    @Test
    void shouldLetABurstThroughThenSpaceCallsAtTheRate() {
        TokenBucket bucket = new TokenBucket(80, 80, now::get);

        for (int i = 0; i < 80; i++) {
            assertThat(bucket.reserve()).as("call %d of the burst", i).isZero();
        }
        long waitOf81st = bucket.reserve();
        long waitOf82nd = bucket.reserve();

        assertThat(waitOf81st).isEqualTo(12_500_000L);
        assertThat(waitOf82nd).isEqualTo(25_000_000L);
    }

    @Test
    void shouldNeverSaveUpMoreThanTheBurstWhileIdle() {
        TokenBucket bucket = new TokenBucket(10, 5, now::get);
        now.addAndGet(60_000_000_000L);

        for (int i = 0; i < 5; i++) {
            assertThat(bucket.reserve()).isZero();
        }
        assertThat(bucket.reserve()).isEqualTo(100_000_000L);
    }

    @Test
    void shouldHoldTheLongRunRateOverManyCalls() {
        TokenBucket bucket = new TokenBucket(50, 1, now::get);
        long lastDue = 0;
        for (int i = 0; i < 1_000; i++) {
            lastDue = bucket.reserve();
        }
        // 1,000 calls at 50/s with one token up front: the last is due after 999 / 50 s
        assertThat(lastDue).isEqualTo(999L * 20_000_000L);
    }
}
