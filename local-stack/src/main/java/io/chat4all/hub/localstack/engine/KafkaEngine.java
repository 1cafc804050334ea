package io.chat4all.hub.localstack.engine;

import io.chat4all.hub.localstack.StackLayout;
import io.chat4all.hub.localstack.process.ManagedProcess;
import io.chat4all.hub.localstack.process.OsProcesses;
import io.chat4all.hub.localstack.process.StackException;
import io.chat4all.hub.localstack.process.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker ({@code org.apache.kafka:kafka_2.13}) in KRaft combined mode
 * (broker + controller), as its own JVM, with the replication settings a single broker needs for
 * transactions (exactly-once streams).
 */
public final class KafkaEngine implements Engine {

    private final StackLayout layout;
    private final int port;
    private final int controllerPort;
    private final String heap;
    private ManagedProcess process;

    public KafkaEngine(StackLayout layout, int port, int controllerPort, String heap) {
        this.layout = layout;
        this.port = port;
        this.controllerPort = controllerPort;
        this.heap = heap;
    }

    @Override
    public EngineKind kind() {
        return EngineKind.KAFKA;
    }

    @Override
    public List<Integer> ports() {
        return List.of(port, controllerPort);
    }

    @Override
    public void start() {
        Path data = layout.data("kafka");
        Path config = layout.config("kafka");
        try {
            Files.createDirectories(data);
            Files.createDirectories(config);
            Path properties = config.resolve("server.properties");
            Files.writeString(properties, serverProperties(data));
            Path logback = config.resolve("logback.xml");
            try (InputStream in = KafkaEngine.class.getResourceAsStream("kafka-logback.xml")) {
                Files.copy(in, logback, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.exists(data.resolve("meta.properties"))) {
                format(properties, logback);
            }
            List<String> command = jvm(logback);
            command.add("-Xms" + heap);
            command.add("-Xmx" + heap);
            command.add("kafka.Kafka");
            command.add(properties.toString());
            process = ManagedProcess.start("kafka", command, Map.of(), data, layout.log("kafka"));
        } catch (IOException e) {
            throw new StackException("cannot prepare Kafka in " + data + ": " + e.getMessage(),
                    "check disk space and permissions", e);
        }
    }

    private List<String> jvm(Path logback) {
        return new ArrayList<>(List.of(OsProcesses.javaExecutable(), "-cp", StackLayout.runtimeClasspath(),
                "-Dlogback.configurationFile=" + logback, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true"));
    }

    private void format(Path properties, Path logback) throws IOException {
        List<String> command = jvm(logback);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", properties.toString()));
        Process formatting = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log("kafka").toFile())).start();
        try {
            if (!formatting.waitFor(120, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                throw new StackException("formatting Kafka's log directory failed; last lines of "
                        + layout.log("kafka") + ":" + System.lineSeparator()
                        + ManagedProcess.tailOf(layout.log("kafka"), 15),
                        "delete " + layout.data("kafka") + " (or run ./hub up --fresh) and retry");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while formatting Kafka storage", "retry");
        }
    }

    private String serverProperties(Path data) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=3",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.flush.interval.messages=9223372036854775807",
                "log.retention.hours=168",
                "") + "\n";
    }

    @Override
    public void awaitReady(Duration timeout) {
        Wait.until("Kafka on port " + port, timeout, this::isHealthy, process);
    }

    @Override
    public boolean isHealthy() {
        return Probes.kafka(bootstrapServers());
    }

    @Override
    public List<ManagedProcess> processes() {
        return process == null ? List.of() : List.of(process);
    }

    @Override
    public String address() {
        return bootstrapServers();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public Map<String, String> connection() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
    }
}
