package io.chat4all.hub.bench;

import io.chat4all.hub.localstack.cli.Endpoints;
import io.chat4all.hub.localstack.process.Ports;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code baselines}: the ceilings of this machine, measured in the same run as the hub so that every
 * hub figure comes with them: the raw Kafka producer ({@code acks=all}, idempotent, records the size
 * of the hub's messages); PostgreSQL {@code COPY} of participant-history rows (into a copy of the
 * hub's table without and with its indexes); a bare WebFlux endpoint that parses the same body and
 * answers 202, and the same answering only after the Kafka ack ({@link BaselineServer}, a JVM of its
 * own); and the hub's {@code POST /v1/messages} — the three HTTP targets driven by the same generator
 * at each {@code --concurrency} (default 64 and 256 in flight). The result has each figure and the
 * hub's ratio to each ceiling.
 */
final class BaselinesScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");
    private static final String TOPIC = "bench.baseline";

    private final Endpoints endpoints;
    private final Path root;
    private final List<Integer> concurrencies = new ArrayList<>();
    private final Duration warmup;
    private final Duration hubWarmup;
    private final Duration duration;
    private final int copyRows;
    private final int drainRows;

    BaselinesScenario(Endpoints endpoints, Map<String, String> options, Path root) {
        this.endpoints = endpoints;
        this.root = root;
        for (String c : options.getOrDefault("concurrency", "64,256").split(",")) {
            concurrencies.add(Integer.parseInt(c.trim()));
        }
        this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "15")));
        this.hubWarmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("hub-warmup", "60")));
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "30")));
        this.copyRows = Integer.parseInt(options.getOrDefault("copy-rows", "300000"));
        this.drainRows = Integer.parseInt(options.getOrDefault("drain-rows", "150000"));
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("concurrency", concurrencies);
        parameters.put("warmup_s", warmup.toSeconds());
        parameters.put("hub_warmup_s", hubWarmup.toSeconds());
        parameters.put("duration_s", duration.toSeconds());
        parameters.put("copy_rows", copyRows);
        parameters.put("drain_rows", drainRows);
        parameters.put("text_bytes", "200-2000");
        Result result = new Result("baselines", parameters);
        String bootstrap = endpoints.env().get("KAFKA_BOOTSTRAP_SERVERS");
        createTopic(bootstrap);
        double producer = kafkaProducer(bootstrap);
        result.put("kafka_producer_records_per_s", producer);
        Map<String, Object> copy = postgresCopy(endpoints.env(), copyRows);
        result.put("postgres_copy_rows_per_s", copy);
        result.put("storage_writer", storageAgainstCopy(new StorageDrain(endpoints.env(), root, drainRows).measure(), copy));

        Population population = Population.create(endpoints.gatewayUrl(), endpoints.admin().password(), 30, 100, 3, 3);
        int port = Ports.freePort();
        Process server = startServer(port, bootstrap);
        Map<String, Object> http = new LinkedHashMap<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        try {
            log.info("warming up the baseline server's JIT on both endpoints");
            for (String path : new String[] {"bare", "kafka"}) {
                endpoint(path, port, population, concurrencies.get(0), warmup, new LinkedHashMap<>());
            }
            boolean hubWarm = false;
            for (int concurrency : concurrencies) {
                double bare = endpoint("bare", port, population, concurrency, duration, http);
                double kafka = endpoint("kafka", port, population, concurrency, duration, http);
                AcceptScenario.Measured hub = AcceptScenario.measure("hub@" + concurrency, population, 0, concurrency,
                        hubWarm ? warmup : hubWarmup, duration, root, false);
                hubWarm = true;
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("per_s", hub.acceptedPerSecond());
                figures.put("latency_ms", LoadDriver.percentiles(hub.load().all()));
                figures.put("errors", hub.load().errors());
                figures.put("hub_processes", hub.processes());
                figures.put("cpu_ms_per_accepted", hub.cpuPerAccepted());
                figures.put("kafka_offsets_per_accepted", hub.kafkaRecordsPerAccepted());
                http.put("hub_accept@" + concurrency, figures);
                log.info(String.format("hub @%d: %.0f accepted/s, CPU per accepted message: %s", concurrency,
                        hub.acceptedPerSecond(), hub.cpuPerAccepted()));
                Map<String, Object> ratio = new LinkedHashMap<>();
                ratio.put("hub_to_bare", round(hub.acceptedPerSecond() / bare, 3));
                ratio.put("hub_to_kafka_ack_endpoint", round(hub.acceptedPerSecond() / kafka, 3));
                ratio.put("hub_to_raw_producer", round(hub.acceptedPerSecond() / producer, 3));
                ratios.put("@" + concurrency, ratio);
            }
        } finally {
            server.destroy();
            waitFor(server);
        }
        result.put("http", http);
        result.put("ratios", ratios);
        return result;
    }

    /** Drives {@code /bare} or {@code /kafka} of the baseline server; returns its 202s a second. */
    private double endpoint(String path, int port, Population population, int concurrency, Duration duration,
                            Map<String, Object> into) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/" + path);
        String label = path + "@" + concurrency;
        try (LoadDriver driver = new LoadDriver(label, () -> {
            String body = Population.messageBody(population.randomRoom().id(), UUID.randomUUID());
            return LoadDriver.Call.of("post", LoadDriver.Request.post(uri, null, body));
        }, 0, concurrency)) {
            log.info("{}: warming up for {} s", label, warmup.toSeconds());
            driver.drive(warmup);
            log.info("{}: measuring for {} s", label, duration.toSeconds());
            LoadDriver.Measurement load = driver.drive(duration);
            double perSecond = round(load.count("post", 202) / load.seconds(), 1);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("per_s", perSecond);
            figures.put("latency_ms", LoadDriver.percentiles(load.all()));
            figures.put("errors", load.errors());
            into.put(path.equals("bare") ? "bare_webflux@" + concurrency : "webflux_after_kafka_ack@" + concurrency, figures);
            log.info(String.format("%s: %.0f req/s", label, perSecond));
            return perSecond;
        }
    }

    private Process startServer(int port, String bootstrap) {
        String jar = System.getProperty("java.class.path");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseG1GC", "-cp", jar,
                "-Dloader.main=" + BaselineServer.class.getName(), "org.springframework.boot.loader.launch.PropertiesLauncher",
                Integer.toString(port), bootstrap, TOPIC);
        try {
            Path logFile = root.resolve(".hub/logs/bench-baseline-server.log");
            java.nio.file.Files.createDirectories(logFile.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Ports.isListening("127.0.0.1", port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the baseline server did not start; see " + logFile);
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            log.info("baseline server (WebFlux, its own JVM) on 127.0.0.1:{}", port);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the baseline server: " + e.getMessage(), e);
        }
    }

    private void createTopic(String bootstrap) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int partitions = Integer.parseInt(endpoints.env().getOrDefault("HUB_TOPIC_PARTITIONS", "6"));
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + TOPIC + ": " + e.getCause(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + TOPIC + ": " + e, e);
        }
    }

    /** Async sends as fast as the producer takes them for the duration; acknowledged records a second. */
    private double kafkaProducer(String bootstrap) {
        Properties config = BaselineServer.producerConfig(bootstrap);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bodies.add(Population.messageBody(UUID.randomUUID().toString(), UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        }
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<UUID, byte[]> producer = new KafkaProducer<>(config, new UUIDSerializer(), new ByteArraySerializer())) {
            log.info("raw Kafka producer (acks=all, idempotent): {} s", duration.toSeconds());
            long countedFrom = 0;
            long begin = System.nanoTime();
            long warm = begin + warmup.toNanos() / 3;
            long end = warm + duration.toNanos();
            boolean measuring = false;
            while (System.nanoTime() < end) {
                if (!measuring && System.nanoTime() >= warm) {
                    measuring = true;
                    countedFrom = acked.get();
                    begin = System.nanoTime();
                }
                producer.send(new ProducerRecord<>(TOPIC, UUID.randomUUID(),
                        bodies.get(ThreadLocalRandom.current().nextInt(bodies.size()))), (metadata, failure) -> {
                            (failure == null ? acked : failed).incrementAndGet();
                        });
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            double perSecond = round((acked.get() - countedFrom) / seconds, 1);
            log.info(String.format("raw Kafka producer: %.0f records/s (%d failed)", perSecond, failed.get()));
            return perSecond;
        }
    }

    /** storage-writer's drain figures with its ratio to COPY into a table with the hub's indexes. */
    static Map<String, Object> storageAgainstCopy(Map<String, Object> drain, Map<String, Object> copy) {
        Map<String, Object> figures = new LinkedHashMap<>(drain);
        if (drain.get("rows_per_s") instanceof Number writer && copy.get("with_hub_indexes") instanceof Number ceiling) {
            figures.put("to_copy_with_hub_indexes", round(writer.doubleValue() / ceiling.doubleValue(), 3));
            log.info(String.format("storage-writer ÷ COPY (with the hub's indexes): %.3f",
                    writer.doubleValue() / ceiling.doubleValue()));
        }
        return figures;
    }

    /** COPY of participant-history rows into scratch copies of the hub's table; rows a second for each. */
    static Map<String, Object> postgresCopy(Map<String, String> env, int copyRows) {
        Map<String, Object> figures = new LinkedHashMap<>();
        String table = "bench_copy_" + Long.toHexString(Instant.now().toEpochMilli());
        try (Connection db = DriverManager.getConnection(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"),
                env.get("POSTGRES_PASSWORD"))) {
            for (String variant : new String[] {"without_indexes", "with_hub_indexes"}) {
                String like = variant.equals("without_indexes") ? "INCLUDING DEFAULTS" : "INCLUDING ALL";
                try (Statement ddl = db.createStatement()) {
                    ddl.execute("CREATE TABLE " + table + " (LIKE participant_messages " + like + ")");
                }
                try {
                    double perSecond = copy(db, table, copyRows);
                    figures.put(variant, perSecond);
                    log.info(String.format("PostgreSQL COPY %s: %.0f rows/s", variant.replace('_', ' '), perSecond));
                } finally {
                    try (Statement ddl = db.createStatement()) {
                        ddl.execute("DROP TABLE " + table);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL COPY baseline failed: " + e.getMessage(), e);
        }
        return figures;
    }

    private static double copy(Connection db, String table, int copyRows) throws SQLException {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            payloads.add("{\"type\": \"text\", \"text\": \"" + Population.text(200, 2000) + "\"}");
        }
        String accepted = Instant.now().toString();
        UUID conversation = UUID.randomUUID();
        CopyIn copy = db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table
                + " (owner_id, conversation_id, seq, msg_id, message_id, sender_id, direction, payload, metadata,"
                + " accepted_at) FROM STDIN");
        long begin = System.nanoTime();
        StringBuilder rows = new StringBuilder(1 << 20);
        UUID[] owners = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        for (int i = 0; i < copyRows; i++) {
            UUID owner = owners[i % owners.length];
            rows.append(owner).append('\t').append(conversation).append('\t').append(i / owners.length + 1).append('\t')
                    .append(1_000_000L + i / owners.length).append('\t').append(UUID.randomUUID()).append('\t')
                    .append(owners[0]).append('\t').append(owner == owners[0] ? "outgoing" : "incoming").append('\t')
                    .append(payloads.get(i % payloads.size())).append("\t{}\t").append(accepted).append('\n');
            if (rows.length() > (1 << 20) || i == copyRows - 1) {
                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                rows.setLength(0);
            }
        }
        copy.endCopy();
        return round(copyRows / ((System.nanoTime() - begin) / 1e9), 1);
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
