package io.chat4all.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.chat4all.hub.bench.chaos.ChaosHub;
import io.chat4all.hub.bench.chaos.ChaosReport;
import io.chat4all.hub.bench.chaos.ChaosRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite with a shorter load (the full run is {@code ./hub chaos}): while the clients send
 * through two gateways, the broker, the database, the router, storage-writer, the WhatsApp adapter,
 * the indexer and one gateway are each killed with SIGKILL and started again; every 202 must end up
 * in every member's history exactly once, gap-free, sent on WhatsApp once and searchable. Runs in a
 * JVM (and so a stack) of its own: it kills the engines.
 */
class ChaosTest {

    @Test
    void shouldLoseDuplicateOrReorderNothingWhileEveryPartIsKilledInTurn() throws Exception {
        try (ChaosHub hub = ChaosHub.start()) {
            ChaosReport report = ChaosRun.run(hub, new ChaosRun.Settings(10, 20, Duration.ofSeconds(20),
                    Duration.ofSeconds(20), Duration.ofSeconds(3), Duration.ofMinutes(5)));

            System.out.println("chaos: " + report.figures());
            System.out.println("chaos: faults " + report.faults());
            assertThat(report.problems()).as("broken promises").isEmpty();
            assertThat(((Number) report.figures().get("accepted")).longValue()).as("accepted messages")
                    .isGreaterThan(1_500);
            assertThat(report.faults()).hasSize(7).allSatisfy(fault -> assertThat(fault.recoveredSeconds())
                    .as(fault.part() + " recovered").isPositive());
        }
    }
}
