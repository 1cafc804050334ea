package io.chat4all.hub.localstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chat4all.hub.localstack.engine.Probes;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.process.Directories;
import io.chat4all.hub.localstack.process.Ports;
import io.chat4all.hub.localstack.process.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./hub up --detach --engines-only}, {@code status} and {@code down} for real, on free ports
 * (the services are covered by their own modules' tests). The home is under the engine-readable
 * temp area because, as root, PostgreSQL and Elasticsearch run as an unprivileged user.
 */
@HubStack({})
class HubCliTest {

    private final Path home = Path.of(System.getProperty("java.io.tmpdir"), "chat4all-hub-cli-test-" + ProcessHandle.current().pid());
    private HubCli cli;

    @AfterEach
    void stopEverything() throws Exception {
        if (cli != null) {
            cli.run(List.of("down"));
        }
        Directories.deleteTree(home);
    }

    @Test
    void shouldStartReportAndStopTheEnginesKeepingDataAcrossRestarts() throws Exception {
        Map<String, String> environment = new HashMap<>();
        for (String variable : List.of("HUB_POSTGRES_PORT", "HUB_KAFKA_PORT", "HUB_KAFKA_CONTROLLER_PORT", "HUB_S3_PORT",
                "HUB_ELASTICSEARCH_PORT", "HUB_ELASTICSEARCH_TRANSPORT_PORT")) {
            environment.put(variable, Integer.toString(Ports.freePort()));
        }
        cli = new HubCli(Path.of("..").toAbsolutePath().normalize(), home, environment);

        assertThat(cli.run(List.of("up", "--detach", "--engines-only"))).isZero();

        Path endpointsFile = home.resolve("endpoints.json");
        assertThat(Files.getPosixFilePermissions(endpointsFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Endpoints endpoints = Endpoints.read(endpointsFile);
        assertThat(endpoints.engines()).containsOnlyKeys("postgres", "kafka", "s3", "elasticsearch");
        assertThat(endpoints.admin().password()).isNotBlank();
        Map<String, String> env = endpoints.env();
        assertThat(Probes.postgres(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"), env.get("POSTGRES_PASSWORD"))).isTrue();
        assertThat(Probes.kafka(env.get("KAFKA_BOOTSTRAP_SERVERS"))).isTrue();
        assertThat(cli.run(List.of("status"))).isZero();
        assertThatThrownBy(() -> cli.run(List.of("up", "--detach", "--engines-only")))
                .isInstanceOf(StackException.class).hasMessageContaining("already running");
        try (var c = java.sql.DriverManager.getConnection(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"),
                env.get("POSTGRES_PASSWORD")); var s = c.createStatement()) {
            s.execute("CREATE TABLE survives_restart (id int)");
        }

        assertThat(cli.run(List.of("down"))).isZero();
        assertThat(cli.run(List.of("status"))).isEqualTo(3);
        assertThat(Probes.kafka(env.get("KAFKA_BOOTSTRAP_SERVERS"))).isFalse();

        assertThat(cli.run(List.of("up", "--detach", "--engines-only"))).isZero();
        assertThat(Endpoints.read(endpointsFile).env()).as("same credentials after a restart").isEqualTo(env);
        try (var c = java.sql.DriverManager.getConnection(env.get("POSTGRES_URL"), env.get("POSTGRES_USER"),
                env.get("POSTGRES_PASSWORD")); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM survives_restart")) {
            assertThat(rs.next()).isTrue();
        }
    }
}
