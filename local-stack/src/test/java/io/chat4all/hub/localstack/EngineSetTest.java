package io.chat4all.hub.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chat4all.hub.localstack.engine.Engine;
import io.chat4all.hub.localstack.engine.EngineKind;
import io.chat4all.hub.localstack.junit.HubStack;
import io.chat4all.hub.localstack.junit.TestStack;
import io.chat4all.hub.localstack.process.Ports;
import io.chat4all.hub.localstack.process.StackException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@HubStack(EngineKind.KAFKA)
class EngineSetTest {

    @Test
    void shouldUseAnExternalEngineInsteadOfStartingOneWhenItsVariableIsSet(TestStack stack, @TempDir Path home) {
        StackLayout layout = new StackLayout(home, StackLayout.defaultCache());
        Map<String, String> environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        StackConfig config = StackConfig.forHub(layout, Secrets.ephemeral(), environment);

        EngineSet set = EngineSet.start(config, Set.of(EngineKind.KAFKA), Duration.ofSeconds(30), line -> { });

        Engine kafka = set.get(EngineKind.KAFKA);
        assertThat(kafka.processes()).as("nothing started for an external engine").isEmpty();
        assertThat(kafka.isHealthy()).isTrue();
        assertThat(set.connection()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        set.stop();
        assertThat(kafka.isHealthy()).as("stopping the set leaves an external engine alone").isTrue();
    }

    @Test
    void shouldNameThePortAndTheVariableWhenAPortIsTaken(@TempDir Path home) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StackLayout layout = new StackLayout(home, StackLayout.defaultCache());
            StackConfig config = StackConfig.forHub(layout, Secrets.ephemeral(),
                    Map.of("HUB_S3_PORT", Integer.toString(taken.getLocalPort())));

            assertThatThrownBy(() -> EngineSet.start(config, Set.of(EngineKind.S3), Duration.ofSeconds(30), line -> { }))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining(taken.getLocalPort() + " (s3)")
                    .extracting(e -> ((StackException) e).fix()).asString().contains("HUB_S3_PORT");
        }
    }

    @Test
    void shouldRejectAPortVariableThatIsNotAPort(@TempDir Path home) {
        StackLayout layout = new StackLayout(home, StackLayout.defaultCache());

        assertThatThrownBy(() -> StackConfig.forHub(layout, Secrets.ephemeral(), Map.of("HUB_KAFKA_PORT", "ninety")))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("HUB_KAFKA_PORT='ninety'");
        assertThat(Ports.isFree(Ports.freePort())).isTrue();
    }
}
