package io.chat4all.hub.bench;

import io.chat4all.hub.bench.chaos.ChaosHub;
import io.chat4all.hub.bench.chaos.ChaosReport;
import io.chat4all.hub.bench.chaos.ChaosRun;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./hub chaos}: starts a hub of its own (not the one of {@code ./hub up}: its data would be
 * at stake), drives a steady load through two gateways while killing every part in turn, and
 * checks every 202 the clients received. Defaults send ≈ 78,000 messages.
 */
final class ChaosScenario implements Scenario {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private final ChaosRun.Settings settings;
    private boolean passed;

    ChaosScenario(Map<String, String> options) {
        this.settings = new ChaosRun.Settings(Double.parseDouble(options.getOrDefault("rate", "200")),
                Integer.parseInt(options.getOrDefault("groups", "100")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "30"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("fault-every", "45"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("down-for", "5"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle", "600"))));
    }

    /** Whether the last run kept every promise. */
    boolean passed() {
        return passed;
    }

    @Override
    public Result run() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rate", settings.rate());
        parameters.put("groups", settings.groups());
        parameters.put("warmup_s", settings.warmup().toSeconds());
        parameters.put("fault_every_s", settings.faultEvery().toSeconds());
        parameters.put("down_for_s", settings.downFor().toSeconds());
        Result result = new Result("chaos", parameters);
        try (ChaosHub hub = ChaosHub.start()) {
            ChaosReport report = ChaosRun.run(hub, settings);
            report.figures().forEach(result::put);
            result.put("faults", report.faults());
            passed = report.passed();
            result.put("passed", passed);
            result.put("problems", report.problems());
            if (!report.passed()) {
                log.error("chaos: FAILED: {}", report.problems());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the chaos check could not read PostgreSQL: " + e.getMessage(), e);
        }
        return result;
    }
}
