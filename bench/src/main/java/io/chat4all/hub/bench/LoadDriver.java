package io.chat4all.hub.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Drives HTTP load for a while and records each operation's latency (HdrHistogram, µs) and answers.
 * Closed loop: {@code concurrency} requests always in flight, each sent when the previous one of its
 * slot is answered (no thread per slot; Reactor Netty's client, so the generator is not what limits a
 * fast endpoint). Open loop: a request is due every {@code 1/rate} s whatever
 * the answers do, and its latency counts from when it was due, so a stalled server shows its queueing
 * instead of slowing the generator down (coordinated omission). Progress every 5 s.
 */
final class LoadDriver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final Duration PROGRESS = Duration.ofSeconds(5);

    /** An HTTP request of the load: a GET, or a POST of a JSON body; with a bearer token or none. */
    record Request(HttpMethod method, URI uri, String token, String json) {

        static Request get(URI uri, String token) {
            return new Request(HttpMethod.GET, uri, token, null);
        }

        static Request post(URI uri, String token, String json) {
            return new Request(HttpMethod.POST, uri, token, json);
        }
    }

    /** One request of the load, the operation it counts under, and what to do with its status. */
    record Call(String operation, Request request, IntConsumer onStatus) {

        static Call of(String operation, Request request) {
            return new Call(operation, request, status -> { });
        }
    }

    /** What one {@link #drive} recorded. */
    record Measurement(double seconds, Map<String, Histogram> latencies, Map<String, Map<Integer, Long>> statuses) {

        long count(String operation, int status) {
            return statuses.getOrDefault(operation, Map.of()).getOrDefault(status, 0L);
        }

        /** Answers that were not 2xx (a transport failure counts as status -1). */
        long errors() {
            return statuses.values().stream().flatMap(m -> m.entrySet().stream())
                    .filter(e -> e.getKey() < 200 || e.getKey() > 299).mapToLong(Map.Entry::getValue).sum();
        }

        Histogram all() {
            Histogram all = new Histogram(3);
            latencies.values().forEach(all::add);
            return all;
        }

        /** Per operation: count, ops/s, latency percentiles and answers by status. */
        Map<String, Object> byOperation() {
            Map<String, Object> operations = new TreeMap<>();
            latencies.forEach((operation, histogram) -> {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("count", histogram.getTotalCount());
                figures.put("per_s", Math.round(histogram.getTotalCount() * 10.0 / seconds) / 10.0);
                figures.put("latency_ms", percentiles(histogram));
                Map<String, Long> byStatus = new TreeMap<>();
                statuses.getOrDefault(operation, Map.of()).forEach((status, n) -> byStatus.put(Integer.toString(status), n));
                figures.put("responses_by_status", byStatus);
                operations.put(operation, figures);
            });
            return operations;
        }
    }

    private final String label;
    private final LongFunction<Call> calls;
    private final int rate;
    private final int concurrency;
    private final ConnectionProvider connections = ConnectionProvider.builder("bench").maxConnections(4096)
            .pendingAcquireMaxCount(-1).build();
    private final HttpClient http = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(30));
    private volatile Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private volatile Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();

    /** {@code rate > 0}: open loop at that many requests a second; else closed loop at {@code concurrency}. */
    LoadDriver(String label, Supplier<Call> calls, int rate, int concurrency) {
        this(label, due -> calls.get(), rate, concurrency);
    }

    /**
     * The same, each call made knowing when it is due ({@link System#nanoTime()}: in the open loop its
     * time on the schedule, which its latency counts from; in the closed loop, now).
     */
    LoadDriver(String label, LongFunction<Call> calls, int rate, int concurrency) {
        this.label = label;
        this.calls = calls;
        this.rate = rate;
        this.concurrency = concurrency;
    }

    /** Drives the load for {@code length}; returns what it recorded meanwhile. */
    Measurement drive(Duration length) {
        recorders = new ConcurrentHashMap<>();
        statuses = new ConcurrentHashMap<>();
        Map<String, Histogram> totals = new TreeMap<>();
        long begin = System.nanoTime();
        long end = begin + length.toNanos();
        CountDownLatch done = new CountDownLatch(rate > 0 ? 1 : concurrency);
        if (rate > 0) {
            Thread pacer = new Thread(() -> openLoop(begin, end, done), "bench-pacer");
            pacer.setDaemon(true);
            pacer.start();
        } else {
            for (int i = 0; i < concurrency; i++) {
                next(end, done);
            }
        }
        long last = begin;
        while (!await(done, PROGRESS.toNanos())) {
            double seconds = (System.nanoTime() - last) / 1e9;
            last = System.nanoTime();
            Histogram interval = collect(totals);
            long errors = new Measurement(seconds, Map.of(), snapshot(statuses)).errors();
            log.info(String.format("%s: %7.0f req/s  p50 %6.1f ms  p99 %7.1f ms  errors so far %d", label,
                    interval.getTotalCount() / seconds, interval.getValueAtPercentile(50) / 1000.0,
                    interval.getValueAtPercentile(99) / 1000.0, errors));
        }
        collect(totals);
        return new Measurement((System.nanoTime() - begin) / 1e9, totals, snapshot(statuses));
    }

    private void next(long end, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        long start = System.nanoTime();
        Call call = calls.apply(start);
        send(call.request()).subscribe(status -> {
            record(call, start, status);
            next(end, done);
        });
    }

    /** Sends on the schedule from {@code begin} (not from when this thread got going): exactly rate × length calls. */
    private void openLoop(long begin, long end, CountDownLatch done) {
        long interval = 1_000_000_000L / rate;
        AtomicLong inFlight = new AtomicLong();
        for (long due = begin; due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long intended = due;
            Call call = calls.apply(intended);
            inFlight.incrementAndGet();
            send(call.request()).subscribe(status -> {
                record(call, intended, status);
                inFlight.decrementAndGet();
            });
        }
        while (inFlight.get() > 0) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        done.countDown();
    }

    /** The answer's status once its body is read; -1 when the request failed or timed out. */
    private Mono<Integer> send(Request request) {
        HttpClient client = http.headers(headers -> {
            if (request.token() != null) {
                headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + request.token());
            }
            if (request.json() != null) {
                headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            }
        });
        HttpClient.ResponseReceiver<?> receiver = request.json() == null
                ? client.request(request.method()).uri(request.uri())
                : client.request(request.method()).uri(request.uri())
                        .send(ByteBufFlux.fromString(Mono.just(request.json())));
        return receiver.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .defaultIfEmpty(-1).onErrorReturn(-1);
    }

    private void record(Call call, long start, int status) {
        recorders.computeIfAbsent(call.operation(), o -> new Recorder(3))
                .recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        statuses.computeIfAbsent(call.operation(), o -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
        call.onStatus().accept(status);
    }

    /** Moves what each recorder holds into the totals; returns the interval, all operations together. */
    private Histogram collect(Map<String, Histogram> totals) {
        Histogram interval = new Histogram(3);
        recorders.forEach((operation, recorder) -> {
            Histogram part = recorder.getIntervalHistogram();
            interval.add(part);
            totals.computeIfAbsent(operation, o -> new Histogram(3)).add(part);
        });
        return interval;
    }

    private static Map<String, Map<Integer, Long>> snapshot(Map<String, Map<Integer, LongAdder>> statuses) {
        Map<String, Map<Integer, Long>> copy = new TreeMap<>();
        statuses.forEach((operation, byStatus) -> {
            Map<Integer, Long> counts = new TreeMap<>();
            byStatus.forEach((status, n) -> counts.put(status, n.sum()));
            copy.put(operation, counts);
        });
        return copy;
    }

    private static boolean await(CountDownLatch latch, long nanos) {
        try {
            return latch.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** p50/p90/p99/p99.9/max/mean in ms of a histogram recorded in microseconds. */
    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (double percentile : new double[] {50, 90, 99, 99.9}) {
            p.put("p" + (percentile == 99.9 ? "99_9" : Integer.toString((int) percentile)),
                    Math.round(h.getValueAtPercentile(percentile) / 100.0) / 10.0);
        }
        p.put("max", Math.round(h.getMaxValue() / 100.0) / 10.0);
        p.put("mean", Math.round(h.getMean() / 100.0) / 10.0);
        return p;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return work -> {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        connections.dispose();
    }
}
