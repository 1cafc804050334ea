package io.chat4all.hub.localstack.junit;

import io.chat4all.hub.localstack.process.Directories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test JVM that is killed cannot stop its engines. Each test stack records its owner's pid and
 * its engines' pids; the next test JVM kills the engines of stacks whose owner is gone (checking
 * that the pid still runs something of that stack, never an unrelated process) and removes them.
 */
final class TestStackReaper {

    private static final Logger log = LoggerFactory.getLogger(TestStackReaper.class);

    private TestStackReaper() {
    }

    static void claim(Path root) {
        write(root.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()) + "\n", false);
    }

    static void recordProcesses(Path root, List<Long> pids) {
        StringBuilder lines = new StringBuilder();
        pids.forEach(pid -> lines.append(pid).append('\n'));
        write(root.resolve("engines.pid"), lines.toString(), true);
    }

    static void reapAbandoned(Path base) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> stacks = Files.list(base)) {
            for (Path stack : stacks.toList()) {
                if (ownerAlive(stack)) {
                    continue;
                }
                killEngines(stack);
                Directories.deleteTree(stack);
                log.info("removed test stack {} left behind by a JVM that is gone", stack.getFileName());
            }
        } catch (IOException e) {
            log.warn("could not reap old test stacks under {}: {}", base, e.getMessage());
        }
    }

    private static boolean ownerAlive(Path stack) {
        try {
            long owner = Long.parseLong(Files.readString(stack.resolve("owner.pid")).trim());
            return ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            // no owner recorded: a stack being created right now, or garbage; leave fresh ones alone
            try {
                return Files.getLastModifiedTime(stack).toMillis() > System.currentTimeMillis() - 600_000;
            } catch (IOException ignored) {
                return false;
            }
        }
    }

    private static void killEngines(Path stack) throws IOException {
        Path pids = stack.resolve("engines.pid");
        if (!Files.exists(pids)) {
            return;
        }
        String marker = stack.toString();
        for (String line : Files.readAllLines(pids)) {
            if (line.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(line.trim()))
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .ifPresent(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
        }
    }

    private static void write(Path file, String content, boolean append) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            log.warn("could not write {}: {}", file, e.getMessage());
        }
    }
}
