package io.chat4all.hub.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.chat4all.hub.localstack.cli.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./hub bench <scenario> [--option=value …]}: runs a scenario against the hub described by
 * {@code .hub/endpoints.json} (or {@code --endpoints=<file>}), prints progress and its numbers, and
 * writes one JSON result under {@code bench/results/}.
 */
public final class BenchCli {

    private static final Logger log = LoggerFactory.getLogger("hub.bench");

    private BenchCli() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            log.error("usage: ./hub bench <scenario> [--option=value ...] [--endpoints=.hub/endpoints.json]\n"
                    + "  accept    [--concurrency=64 | --rate=N] [--duration=60] [--warmup=20] [--profile]\n"
                    + "  e2e       [--rate=300] [--duration=60] [--warmup=20]\n"
                    + "  sustained [--start-rate=200] [--factor=1.5] [--max-rate=20000] [--step-duration=300] [--warmup=20] [--slo-ms=250]\n"
                    + "            [--hub-warmup=90] [--users=30] [--conversations=100]\n"
                    + "  mixed     [--rate=400] [--users=200] [--rooms=100] [--send-pct=30] [--history-pct=40] [--list-pct=20]\n"
                    + "  baselines [--concurrency=64,256] [--duration=30] [--warmup=15] [--hub-warmup=60] [--copy-rows=300000]\n"
                    + "            [--drain-rows=150000]\n"
                    + "  storage   [--rows=150000] [--copy-rows=300000]\n"
                    + "  stress    [--writers=10] [--readers=20] [--rate=100] [--duration=300] [--transport=sse|poll] [--poll-ms=500]\n"
                    + "  idle-streams [--connections=2000] [--per-user=10] [--hold=90]\n"
                    + "  channels  [--recipients=50] [--messages=40] [--samples=30]\n"
                    + "  files     [--mib=1024] [--parallel=4]\n"
                    + "  search    [--rate=50] [--duration=60] [--poll-ms=50] [--rows=20000]\n"
                    + "  archive   [--users=4] [--conversations=10] [--rows=200000] [--reads=300]\n"
                    + "  hostile   [--requests=12000] [--concurrency=16] [--seed=16]\n"
                    + "  chaos     [--rate=200] [--groups=100] [--warmup=30] [--fault-every=45] [--down-for=5] [--settle=600]\n"
                    + "            (./hub chaos: a hub of its own, every part killed in turn; no ./hub up needed)\n"
                    + "(docs/benchmarks.md)");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        Path root = Path.of(System.getProperty("hub.root", ".")).toAbsolutePath().normalize();
        if (args[0].equals("chaos")) {
            ChaosScenario chaos = new ChaosScenario(options);
            Path written = chaos.run().write(root.resolve("bench/results"));
            log.info("result: {}", root.relativize(written));
            System.exit(chaos.passed() ? 0 : 1);
        }
        Path endpointsFile = Path.of(options.getOrDefault("endpoints", root.resolve(".hub/endpoints.json").toString()));
        if (!Files.isRegularFile(endpointsFile)) {
            log.error("error: " + endpointsFile + " not found\n  fix: start the hub first (./hub up --detach)");
            System.exit(1);
        }
        Endpoints endpoints = Endpoints.read(endpointsFile);
        Scenario scenario = switch (args[0]) {
            case "channels" -> new ChannelsScenario(endpoints, options);
            case "files" -> new FilesScenario(endpoints, options);
            case "accept" -> new AcceptScenario(endpoints, options, root);
            case "e2e" -> new E2eScenario(endpoints, options, root);
            case "sustained" -> new SustainedScenario(endpoints, options, root);
            case "mixed" -> new MixedScenario(endpoints, options, root);
            case "baselines" -> new BaselinesScenario(endpoints, options, root);
            case "stress" -> new StressScenario(endpoints, options, root);
            case "search" -> new SearchScenario(endpoints, options);
            case "storage" -> new StorageScenario(endpoints, options, root);
            case "archive" -> new ArchiveScenario(endpoints, options);
            case "idle-streams" -> new IdleStreamsScenario(endpoints, options, root);
            case "hostile" -> new HostileScenario(endpoints, options);
            default -> {
                log.error("error: unknown scenario " + args[0] + "\n  fix: one of: accept, e2e, sustained, mixed, baselines, storage, stress, channels, files, search, archive, idle-streams, hostile, chaos");
                System.exit(2);
                yield null;
            }
        };
        Result result = scenario.run();
        Path written = result.write(root.resolve("bench/results"));
        log.info("result: {}", root.relativize(written));
    }
}
