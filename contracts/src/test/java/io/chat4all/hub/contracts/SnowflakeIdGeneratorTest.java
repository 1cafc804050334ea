package io.chat4all.hub.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chat4all.hub.contracts.ids.SnowflakeIdGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnowflakeIdGeneratorTest {

    private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();

    @Test
    void shouldLayOutTimestampNodeAndSequence() {
        AtomicLong clock = new AtomicLong(T0);
        SnowflakeIdGenerator generator = new SnowflakeIdGenerator(513, clock::get);

        long first = generator.nextId();
        long second = generator.nextId();

        SnowflakeIdGenerator.Parts parts = SnowflakeIdGenerator.parse(first);
        assertThat(parts.timestamp()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(parts.nodeId()).isEqualTo(513);
        assertThat(parts.sequence()).isZero();
        assertThat(SnowflakeIdGenerator.parse(second).sequence()).isEqualTo(1);
        assertThat(first).isPositive();
    }

    @Test
    void shouldStayUniqueAndIncreasingWhenClockStepsBack() {
        AtomicLong clock = new AtomicLong(T0);
        SnowflakeIdGenerator generator = new SnowflakeIdGenerator(1, clock::get);
        List<Long> ids = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            ids.add(generator.nextId());
        }
        clock.set(T0 - 5_000);
        for (int i = 0; i < 100; i++) {
            ids.add(generator.nextId());
        }
        clock.set(T0 + 1);
        ids.add(generator.nextId());

        assertThat(ids).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void shouldBorrowNextMillisecondWhenSequenceIsExhausted() {
        AtomicLong clock = new AtomicLong(T0);
        SnowflakeIdGenerator generator = new SnowflakeIdGenerator(7, clock::get);
        Set<Long> ids = new HashSet<>();

        for (int i = 0; i < 4096 * 3; i++) {
            assertThat(ids.add(generator.nextId())).isTrue();
        }

        long last = generator.nextId();
        SnowflakeIdGenerator.Parts parts = SnowflakeIdGenerator.parse(last);
        assertThat(parts.timestamp()).isEqualTo(Instant.ofEpochMilli(T0 + 3));
        assertThat(parts.nodeId()).isEqualTo(7);
    }

    @Test
    void shouldNeverHandOutDuplicatesAcrossThreads() throws Exception {
        SnowflakeIdGenerator generator = new SnowflakeIdGenerator(1023);
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<long[]>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> {
                    long[] out = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        out[i] = generator.nextId();
                    }
                    return out;
                });
            }
            Set<Long> all = new HashSet<>();
            for (Future<long[]> result : pool.invokeAll(tasks)) {
                for (long id : result.get()) {
                    all.add(id);
                }
            }
            assertThat(all).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRejectNodeIdsOutsideTenBits() {
        assertThatThrownBy(() -> new SnowflakeIdGenerator(1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnowflakeIdGenerator(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
