package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.junit.HubApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code stress}: {@code --writers} users (10) sending into their rooms at {@code --rate} messages a
 * second in all (100), and {@code --readers} users (20, two per writer's room) following their room
 * for {@code --duration} (300 s): with {@code --transport=sse} (the default) each reader holds a
 * real-time stream ({@code GET /v1/stream}, reconnecting with its last cursor if the server ends
 * it); with {@code --transport=poll} it pages the room's history ({@code after_seq}) every
 * {@code --poll-ms}. Checks that every reader saw every accepted message of its room exactly once
 * and in order, measures accept → seen by the reader, and samples every hub process's memory (PSS,
 * see {@link HubProcesses}) every 10 s: the growth compares the mean of the measured part's first
 * minute with its last minute (the hub's target: under 10 %).
 */
final class StressScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private final Endpoints endpoints;
    private final Path root;
    private final int writers;
    private final int readersPerRoom;
    private final int rate;
    private final Duration pollInterval;
    private final String transport;
    private final AtomicLong reconnects = new AtomicLong();
    private final Duration warmup;
    private final Duration duration;
    /** Accepted message id → when the hub answered 202 (nanoTime), per room. */
    private final Map<String, Map<String, Long>> accepted = new ConcurrentHashMap<>();
    private final Recorder visible = new Recorder(3);
    private final AtomicLong readerErrors = new AtomicLong();
    private final AtomicLong readerRequests = new AtomicLong();
    private volatile boolean recording;

    StressScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.endpoints = endpoints;
        this.root = root;
        this.writers = Integer.parseInt(options.getOrDefault("writers", "10"));
        int readers = Integer.parseInt(options.getOrDefault("readers", "20"));
        this.readersPerRoom = Math.max(1, readers / writers);
        this.rate = Integer.parseInt(options.getOrDefault("rate", "100"));
        this.pollInterval = Duration.ofMillis(Long.parseLong(options.getOrDefault("poll-ms", "500")));
        this.transport = options.getOrDefault("transport", "sse");
        if (!List.of("sse", "poll").contains(transport)) {
            throw new IllegalArgumentException("--transport is sse or poll, not " + transport);
        }
        this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "30")));
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "300")));
    }

    /** One reader: the room it follows, what it saw, and how often it saw something twice. */
    private static final class Reader {
        final Population.Member member;
        final String room;
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        volatile long lastSeq;

        Reader(Population.Member member, String room) {
            this.member = member;
            this.room = room;
        }
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("writers", writers);
        parameters.put("readers", writers * readersPerRoom);
        parameters.put("rate_per_s", rate);
        parameters.put("reader_transport", transport);
        if ("poll".equals(transport)) {
            parameters.put("reader_poll_ms", pollInterval.toMillis());
        }
        parameters.put("warmup_s", warmup.toSeconds());
        parameters.put("duration_s", duration.toSeconds());
        Result result = new Result("stress", parameters);
        List<List<Integer>> rooms = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<Integer> members = new ArrayList<>(List.of(w));
            for (int r = 0; r < readersPerRoom; r++) {
                members.add(writers + w * readersPerRoom + r);
            }
            rooms.add(members);
        }
        Population population = Population.withRooms(endpoints.gatewayUrl(), endpoints.admin().password(),
                writers * (1 + readersPerRoom), rooms);
        List<Reader> readers = new ArrayList<>();
        for (Population.Room room : population.rooms()) {
            accepted.put(room.id(), new ConcurrentHashMap<>());
            room.members().stream().skip(1).forEach(member -> readers.add(new Reader(member, room.id())));
        }
        HubApi api = new HubApi(endpoints.gatewayUrl());
        ScheduledExecutorService polling = Executors.newScheduledThreadPool(4, LoadDriver.daemon("bench-reader"));
        List<SseReader> streams = new ArrayList<>();
        if ("poll".equals(transport)) {
            readers.forEach(reader -> polling.scheduleWithFixedDelay(() -> poll(api, reader), 0,
                    pollInterval.toMillis(), TimeUnit.MILLISECONDS));
        } else {
            readers.forEach(reader -> streams.add(new SseReader(endpoints.gatewayUrl(), reader.member.token(),
                    frame -> onStreamed(reader, frame), reconnects)));
            streams.forEach(SseReader::awaitReady);
        }
        HubProcesses hub = new HubProcesses(root);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(LoadDriver.daemon("bench-memory"));
        List<Map<String, Long>> samples = new ArrayList<>();
        List<Long> sampleTimes = new ArrayList<>();
        LoadDriver.Measurement load;
        try (LoadDriver driver = new LoadDriver("stress", () -> {
            Population.Room room = population.rooms().get(ThreadLocalRandom.current().nextInt(population.rooms().size()));
            UUID id = UUID.randomUUID();
            return new LoadDriver.Call("send", population.send(room.members().get(0), room.id(), id), status -> {
                if (status == 202) {
                    accepted.get(room.id()).put(id.toString(), System.nanoTime());
                }
            });
        }, rate, 0)) {
            log.info("stress: {} writers, {} readers; warming up for {} s", writers, readers.size(), warmup.toSeconds());
            driver.drive(warmup);
            visible.reset();
            recording = true;
            hub.start();
            long start = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> {
                synchronized (samples) {
                    samples.add(hub.memory());
                    sampleTimes.add(System.nanoTime() - start);
                }
            }, 0, 10, TimeUnit.SECONDS);
            log.info("stress: measuring for {} s", duration.toSeconds());
            load = driver.drive(duration);
        }
        sampler.shutdownNow();
        Map<String, Object> processes = hub.finish();
        long caughtUpIn = awaitReaders(readers, Duration.ofSeconds(60));
        polling.shutdownNow();
        streams.forEach(SseReader::close);

        long expected = 0;
        long missing = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        for (Reader reader : readers) {
            Set<String> ids = accepted.get(reader.room).keySet();
            expected += ids.size();
            missing += ids.stream().filter(id -> !reader.seen.contains(id)).count();
            duplicates += reader.duplicates.get();
            outOfOrder += reader.outOfOrder.get();
        }
        long writerRequests = load.all().getTotalCount();
        result.put("messages_sent_per_s", Math.round(load.count("send", 202) * 10.0 / load.seconds()) / 10.0);
        result.put("send_latency_ms", LoadDriver.percentiles(load.all()));
        result.put("writer_errors", load.errors());
        result.put("reader_requests", readerRequests.get());
        result.put("reader_reconnects", reconnects.get());
        result.put("reader_errors", readerErrors.get());
        result.put("error_rate", (double) (load.errors() + readerErrors.get())
                / Math.max(1, writerRequests + readerRequests.get()));
        result.put("reader_deliveries_expected", expected);
        result.put("reader_deliveries_missing", missing);
        result.put("reader_duplicates", duplicates);
        result.put("reader_out_of_order", outOfOrder);
        result.put("readers_caught_up_after_ms", caughtUpIn);
        result.put("accept_to_seen_by_reader_ms", LoadDriver.percentiles(visible.getIntervalHistogram()));
        synchronized (samples) {
            result.put("memory", memoryGrowth(samples, sampleTimes));
        }
        result.put("hub_processes", processes);
        return result;
    }

    /** Pages through the reader's room after the last seq it saw. */
    private void poll(HubApi api, Reader reader) {
        try {
            while (true) {
                readerRequests.incrementAndGet();
                HubApi.Response page = api.get("/v1/conversations/" + reader.room + "/messages?after_seq="
                        + reader.lastSeq + "&limit=200", reader.member.token());
                if (page.status() != 200) {
                    readerErrors.incrementAndGet();
                    return;
                }
                JsonNode messages = page.body().path("messages");
                long now = System.nanoTime();
                for (JsonNode message : messages) {
                    seen(reader, message, now);
                }
                if (messages.size() < 200) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            readerErrors.incrementAndGet();
        }
    }

    /** A frame of a reader's stream: the messages of its room count, the rest (statuses, other rooms) not. */
    private void onStreamed(Reader reader, JsonNode frame) {
        if ("message".equals(frame.path("type").asString()) && reader.room.equals(frame.path("conversation_id").asString())) {
            seen(reader, frame, System.nanoTime());
        }
    }

    /** One message as a reader saw it: in order or not, new or again, and how long after its 202. */
    private void seen(Reader reader, JsonNode message, long now) {
        synchronized (reader) {
            String id = message.path("message_id").asString();
            if (!reader.seen.add(id)) {
                reader.duplicates.incrementAndGet();
                return;
            }
            long seq = message.path("seq").asLong();
            if (seq <= reader.lastSeq) {
                reader.outOfOrder.incrementAndGet();
            }
            reader.lastSeq = Math.max(reader.lastSeq, seq);
            Long sentAt = accepted.get(reader.room).get(id);
            if (recording && sentAt != null) {
                visible.recordValue(Math.max(1, (now - sentAt) / 1000));
            }
        }
    }

    /** Waits until every reader saw every accepted message of its room; returns how long it took (ms), or -1. */
    private long awaitReaders(List<Reader> readers, Duration timeout) {
        long begin = System.nanoTime();
        while (System.nanoTime() - begin < timeout.toNanos()) {
            boolean all = readers.stream().allMatch(r -> r.seen.containsAll(accepted.get(r.room).keySet()));
            if (all) {
                return (System.nanoTime() - begin) / 1_000_000;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        log.warn("stress: readers still missing messages after {} s", timeout.toSeconds());
        return -1;
    }

    /** Per part: mean memory (PSS) over the first and the last minute of the measured part, and the growth. */
    private static Map<String, Object> memoryGrowth(List<Map<String, Long>> samples, List<Long> times) {
        Map<String, Object> parts = new LinkedHashMap<>();
        if (samples.isEmpty()) {
            return parts;
        }
        long end = times.get(times.size() - 1);
        long minute = Duration.ofMinutes(1).toNanos();
        for (String part : samples.get(0).keySet()) {
            double first = mean(samples, times, part, 0, Math.min(minute, end / 2));
            double last = mean(samples, times, part, Math.max(end - minute, end / 2), end + 1);
            long max = samples.stream().mapToLong(s -> s.getOrDefault(part, 0L)).max().orElse(0);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("pss_first_minute_mb", Math.round(first / (1 << 20)));
            figures.put("pss_last_minute_mb", Math.round(last / (1 << 20)));
            figures.put("pss_max_mb", max >> 20);
            figures.put("growth_pct", first == 0 ? 0 : Math.round((last - first) * 1000 / first) / 10.0);
            parts.put(part, figures);
        }
        return parts;
    }

    private static double mean(List<Map<String, Long>> samples, List<Long> times, String part, long from, long to) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < samples.size(); i++) {
            if (times.get(i) >= from && times.get(i) < to) {
                sum += samples.get(i).getOrDefault(part, 0L);
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
