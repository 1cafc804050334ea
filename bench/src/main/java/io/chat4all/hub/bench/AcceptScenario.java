package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.junit.HubApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code accept}: {@code POST /v1/messages} with realistic bodies (200 B – 2 KB texts, groups of 3,
 * many conversations), closed-loop at {@code --concurrency} requests in flight, or open-loop at
 * {@code --rate} requests a second. Open-loop latency is measured from when each request was due,
 * not when it went out, so a stalled hub cannot hide its queueing (coordinated omission). Progress
 * every 5 s; the JSON has accepted/s, latency percentiles, errors by status and the CPU and memory
 * of every hub process during the measured part.
 */
final class AcceptScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final String WORDS = "pedido entrega status cliente order shipped hello thanks today tomorrow "
            + "invoice payment confirmed tracking number address delivery window support ticket";

    private final String gatewayUrl;
    private final HubApi api;
    private final String adminPassword;
    private final Path root;
    private final int rate;
    private final int concurrency;
    private final Duration warmup;
    private final Duration duration;
    private final int users;
    private final int conversations;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Recorder recorder = new Recorder(3);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final List<Sender> senders = new ArrayList<>();
    private java.time.Instant measuredFrom;

    private record Sender(String token, String conversation) {
    }

    AcceptScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.gatewayUrl = endpoints.gatewayUrl();
        this.api = new HubApi(gatewayUrl);
        this.adminPassword = endpoints.admin().password();
        this.root = root;
        this.rate = Integer.parseInt(options.getOrDefault("rate", "0"));
        this.concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "20")));
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "60")));
        this.users = Integer.parseInt(options.getOrDefault("users", "30"));
        this.conversations = Integer.parseInt(options.getOrDefault("conversations", "100"));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("mode", rate > 0 ? "open-loop" : "closed-loop");
        parameters.put(rate > 0 ? "rate_per_s" : "concurrency", rate > 0 ? rate : concurrency);
        parameters.put("warmup_s", warmup.toSeconds());
        parameters.put("duration_s", duration.toSeconds());
        parameters.put("users", users);
        parameters.put("conversations", conversations);
        parameters.put("text_bytes", "200-2000");
        Result result = new Result("accept", parameters);
        setUp();
        log.info("accept: warming up for {} s", warmup.toSeconds());
        drive(warmup);
        recorder.getIntervalHistogram();
        statuses.clear();
        HubProcesses hub = new HubProcesses(root);
        hub.start();
        measuredFrom = java.time.Instant.now();
        log.info("accept: measuring for {} s", duration.toSeconds());
        Histogram total = drive(duration);
        long accepted = statuses.getOrDefault(202, new LongAdder()).sum();
        result.put("accepted_per_s", Math.round(accepted * 10.0 / duration.toSeconds()) / 10.0);
        result.put("requests", total.getTotalCount());
        result.put("latency_ms", percentiles(total));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        statuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count.sum()));
        result.put("responses_by_status", byStatus);
        result.put("hub_processes", hub.finish());
        return result;
    }

    /** The conversations the load went to, and when the measured part began. */
    java.util.Set<String> conversations() {
        return senders.stream().map(Sender::conversation).collect(java.util.stream.Collectors.toSet());
    }

    java.time.Instant measuredFrom() {
        return measuredFrom;
    }

    private void setUp() {
        String admin = api.login("admin", adminPassword);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<UUID> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String name = "bench-" + run + "-" + i;
            ids.add(api.createUser(admin, name, "bench-password"));
            tokens.add(api.login(name, "bench-password"));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int c = 0; c < conversations; c++) {
            int creator = random.nextInt(users);
            int second = (creator + 1 + random.nextInt(users - 1)) % users;
            int third = (second + 1) % users == creator ? (second + 2) % users : (second + 1) % users;
            String conversation = api.post("/v1/conversations", tokens.get(creator), "{\"type\":\"group\",\"name\":\"bench\","
                    + "\"members\":[\"" + ids.get(second) + "\",\"" + ids.get(third) + "\"]}")
                    .body().path("conversation_id").asString();
            for (int member : new int[] {creator, second, third}) {
                senders.add(new Sender(tokens.get(member), conversation));
            }
        }
        log.info("accept: {} users, {} conversations of 3", users, conversations);
    }

    /** Drives the load for {@code length}; returns the latencies recorded meanwhile. */
    private Histogram drive(Duration length) {
        Histogram total = new Histogram(3);
        long end = System.nanoTime() + length.toNanos();
        Thread load = rate > 0 ? started(() -> openLoop(end)) : null;
        List<Thread> workers = new ArrayList<>();
        if (rate == 0) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(started(() -> closedLoop(end)));
            }
        }
        long last = System.nanoTime();
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
            Histogram interval = recorder.getIntervalHistogram();
            total.add(interval);
            double seconds = (System.nanoTime() - last) / 1e9;
            last = System.nanoTime();
            long errors = statuses.entrySet().stream().filter(e -> e.getKey() != 202).mapToLong(e -> e.getValue().sum()).sum();
            log.info(String.format("accept: %7.0f req/s  p50 %6.1f ms  p99 %7.1f ms  errors so far %d",
                    interval.getTotalCount() / seconds, interval.getValueAtPercentile(50) / 1000.0,
                    interval.getValueAtPercentile(99) / 1000.0, errors));
        }
        join(load);
        workers.forEach(AcceptScenario::join);
        total.add(recorder.getIntervalHistogram());
        return total;
    }

    private void closedLoop(long end) {
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            int status;
            try {
                status = http.send(request(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                status = -1;
            }
            record(start, status);
        }
    }

    /** Sends on a fixed schedule; each latency counts from when its request was due. */
    private void openLoop(long end) {
        long interval = 1_000_000_000L / rate;
        AtomicLong inFlight = new AtomicLong();
        for (long due = System.nanoTime(); due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long intended = due;
            inFlight.incrementAndGet();
            http.sendAsync(request(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                record(intended, failure == null ? response.statusCode() : -1);
                inFlight.decrementAndGet();
            });
        }
        while (inFlight.get() > 0) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private void record(long start, int status) {
        recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    private HttpRequest request() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Sender sender = senders.get(random.nextInt(senders.size()));
        return HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + sender.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message_id\":\"" + UUID.randomUUID()
                        + "\",\"conversation_id\":\"" + sender.conversation() + "\",\"payload\":{\"type\":\"text\","
                        + "\"text\":\"" + text(random) + "\"}}"))
                .build();
    }

    private static String text(ThreadLocalRandom random) {
        int length = 200 + random.nextInt(1801);
        String[] words = WORDS.split(" ");
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]).append(' ');
        }
        return text.substring(0, length);
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

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work, "bench-load");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
