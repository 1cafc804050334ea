package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code accept}: {@code POST /v1/messages} with realistic bodies (200 B – 2 KB texts, groups of 3,
 * many conversations), closed-loop at {@code --concurrency} requests in flight, or open-loop at
 * {@code --rate} requests a second (see {@link LoadDriver}). The JSON has accepted/s, latency
 * percentiles, errors by status and the CPU and memory of every hub process during the measured part;
 * {@code --profile} adds where the hub's JVMs spent their CPU ({@link Profiler}).
 */
final class AcceptScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private final String gatewayUrl;
    private final String adminPassword;
    private final Path root;
    private final int rate;
    private final int concurrency;
    private final Duration warmup;
    private final Duration duration;
    private final int users;
    private final int conversations;
    private final boolean profile;
    private Population population;
    private Instant measuredFrom;

    AcceptScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.gatewayUrl = endpoints.gatewayUrl();
        this.adminPassword = endpoints.admin().password();
        this.root = root;
        this.rate = Integer.parseInt(options.getOrDefault("rate", "0"));
        this.concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "20")));
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "60")));
        this.users = Integer.parseInt(options.getOrDefault("users", "30"));
        this.conversations = Integer.parseInt(options.getOrDefault("conversations", "100"));
        this.profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
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
        population = Population.create(gatewayUrl, adminPassword, users, conversations, 3, 3);
        log.info("accept: {} users, {} conversations of 3", users, conversations);
        Measured measured = measure("accept", population, rate, concurrency, warmup, duration, root, profile);
        measuredFrom = measured.from();
        result.put("accepted_per_s", measured.acceptedPerSecond());
        result.put("requests", measured.load().all().getTotalCount());
        result.put("latency_ms", LoadDriver.percentiles(measured.load().all()));
        result.put("responses_by_status", measured.load().statuses().get("send"));
        result.put("hub_processes", measured.processes());
        result.put("cpu_ms_per_accepted", measured.cpuPerAccepted());
        result.put("kafka_offsets_per_accepted", measured.kafkaRecordsPerAccepted());
        if (measured.profile() != null) {
            result.put("profile", measured.profile());
        }
        return result;
    }

    /** One measured accept load: what the driver recorded, when it began, and what the hub used. */
    record Measured(LoadDriver.Measurement load, Instant from, Map<String, Object> processes, Map<String, Object> profile,
                    Set<String> services, Map<String, Object> kafkaRecordsPerAccepted) {

        double acceptedPerSecond() {
            return Math.round(load.count("send", 202) * 10.0 / load.seconds()) / 10.0;
        }

        /**
         * CPU milliseconds per message accepted in the measured window: summed over the hub's
         * services, over the engines (Kafka, PostgreSQL, S3, Elasticsearch), and over both. What
         * the pipeline did downstream in the window counts too (it keeps up, or its lag shows).
         */
        Map<String, Object> cpuPerAccepted() {
            long accepted = load.count("send", 202);
            double services = 0;
            double all = 0;
            for (Map.Entry<String, Object> part : processes.entrySet()) {
                double cpu = ((Number) ((Map<?, ?>) part.getValue()).get("cpu_s")).doubleValue();
                all += cpu;
                if (this.services.contains(part.getKey())) {
                    services += cpu;
                }
            }
            Map<String, Object> perMessage = new LinkedHashMap<>();
            perMessage.put("services_ms", perMessage(services, accepted));
            perMessage.put("engines_ms", perMessage(all - services, accepted));
            perMessage.put("all_ms", perMessage(all, accepted));
            return perMessage;
        }

        private static double perMessage(double cpuSeconds, long messages) {
            return messages == 0 ? 0 : Math.round(cpuSeconds * 1000.0 / messages * 1000) / 1000.0;
        }
    }

    /** Told of each message of a measured part (not of its warm-up) as it falls due. */
    @FunctionalInterface
    interface Sent {

        Sent NOTHING = (room, messageId, due) -> status -> { };

        /**
         * Message {@code messageId} into {@code room} is due ({@code due}, {@link System#nanoTime()});
         * returns what to do with the status it is answered with.
         */
        IntConsumer due(Population.Room room, UUID messageId, long due);
    }

    /** Warms up, then measures random members sending into random rooms of {@code population}. */
    static Measured measure(String label, Population population, int rate, int concurrency, Duration warmup,
                            Duration duration, Path root, boolean profile) {
        return measure(label, population, rate, concurrency, warmup, duration, root, profile, Sent.NOTHING);
    }

    /** The same, telling {@code sent} of every message of the measured part. */
    static Measured measure(String label, Population population, int rate, int concurrency, Duration warmup,
                            Duration duration, Path root, boolean profile, Sent sent) {
        AtomicReference<Sent> told = new AtomicReference<>(Sent.NOTHING);
        try (LoadDriver driver = new LoadDriver(label, due -> {
            Population.Room room = population.randomRoom();
            Population.Member from = room.members().get(ThreadLocalRandom.current().nextInt(room.members().size()));
            UUID id = UUID.randomUUID();
            return new LoadDriver.Call("send", population.send(from, room.id(), id), told.get().due(room, id, due));
        }, rate, concurrency)) {
            log.info("{}: warming up for {} s", label, warmup.toSeconds());
            driver.drive(warmup);
            HubProcesses hub = new HubProcesses(root);
            Profiler profiler = profile ? Profiler.start(hub, root) : null;
            try (TopicTraffic traffic = TopicTraffic.of(root)) {
                hub.start();
                traffic.start();
                told.set(sent);
                Instant from = Instant.now();
                log.info("{}: measuring for {} s", label, duration.toSeconds());
                LoadDriver.Measurement load = driver.drive(duration);
                Map<String, Object> processes = hub.finish();
                return new Measured(load, from, processes, profiler == null ? null : profiler.finish(),
                        Set.copyOf(hub.services().keySet()), traffic.perMessage(load.count("send", 202)));
            }
        }
    }

    /** The conversations the load went to, and when the measured part began. */
    Set<String> conversations() {
        return population.rooms().stream().map(Population.Room::id).collect(Collectors.toSet());
    }

    Instant measuredFrom() {
        return measuredFrom;
    }
}
