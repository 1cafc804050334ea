package io.chat4all.hub.gateway.core;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many callers' items done as one batch on a few threads of its own. A worker takes
 * the first waiting item and everything queued behind it (up to {@code maxBatch}), runs the batch
 * (typically one SQL statement) and completes every caller. Nothing waits for a batch to fill: at
 * low load a batch is one item and costs what a single call would; under load, items arriving
 * while a batch runs form the next one, so the statements per second stay about constant while the
 * items per statement grow with the load.
 *
 * <p>The queue is bounded: when it is full (the database cannot keep up) {@link #submit} fails at
 * once with {@link Saturated}, which the API answers with 503 + Retry-After instead of letting
 * requests pile up.
 *
 * @param <I> an item
 * @param <O> its result
 */
public final class GroupCommit<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** The queue is full: the caller should be told to come back later. */
    public static final class Saturated extends RuntimeException {
        Saturated(String name) {
            super(name + ": too many waiting requests");
        }
    }

    private record Pending<I, O>(I item, CompletableFuture<O> result) {
    }

    private final String name;
    private final BlockingQueue<Pending<I, O>> queue;
    private final int maxBatch;
    private final Function<List<I>, List<O>> work;
    private final List<Thread> workers = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private volatile boolean running = true;

    /**
     * @param work runs one batch and returns one result per item, in the items' order; blocking
     *             is fine (it runs on this group's threads)
     */
    public GroupCommit(String name, int threads, int maxBatch, int queueCapacity, Function<List<I>, List<O>> work,
                       MeterRegistry meters) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.work = work;
        this.batchSizes = DistributionSummary.builder("hub.group.commit.batch.size")
                .description("items done together in one batch").tag("group", name).register(meters);
        Gauge.builder("hub.group.commit.waiting", queue, BlockingQueue::size)
                .description("items waiting for a batch").tag("group", name).register(meters);
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::loop, name + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Queues {@code item}; its result completes when its batch is done (on this group's thread). */
    public CompletableFuture<O> submit(I item) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending<>(item, result))) {
            result.completeExceptionally(new Saturated(name));
        }
        return result;
    }

    private void loop() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        List<I> items = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Pending<I, O> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (Pending<I, O> pending : batch) {
                items.add(pending.item());
            }
            batchSizes.record(batch.size());
            complete(batch, items);
            batch.clear();
            items.clear();
        }
        List<Pending<I, O>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(pending -> pending.result().completeExceptionally(new Saturated(name)));
    }

    private void complete(List<Pending<I, O>> batch, List<I> items) {
        List<O> results;
        try {
            results = work.apply(items);
            if (results.size() != batch.size()) {
                throw new IllegalStateException(name + ": " + results.size() + " results for " + batch.size() + " items");
            }
        } catch (RuntimeException | Error e) {
            log.debug("{}: a batch of {} failed: {}", name, batch.size(), e.toString());
            batch.forEach(pending -> pending.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
