package io.chat4all.hub.localstack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server process of the stack: started in its own session (so a Ctrl-C in the terminal reaches
 * the launcher, which stops everything in order), its output in a log file, its pid in a pid file
 * so that {@code ./hub down} can stop it from another process.
 */
public final class ManagedProcess {

    private final String name;
    private final long pid;
    private final Path logFile;

    private ManagedProcess(String name, long pid, Path logFile) {
        this.name = name;
        this.pid = pid;
        this.logFile = logFile;
    }

    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
                                       Path workDir, Path logFile) {
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logFile.getParent());
            Process process = builder.start();
            return new ManagedProcess(name, process.pid(), logFile);
        } catch (IOException e) {
            throw new StackException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(),
                    "check that the command exists and is executable", e);
        }
    }

    /** Re-attaches to a process started earlier (by pid), e.g. from {@code ./hub down}. */
    public static ManagedProcess attach(String name, long pid, Path logFile) {
        return new ManagedProcess(name, pid, logFile);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return pid;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops the process: the given signal first (TERM for most servers, INT for PostgreSQL's fast
     * shutdown), then KILL if it has not exited within the grace period. Returns true if it
     * exited cleanly within the grace period.
     */
    public boolean stop(String signal, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return true;
        }
        signal(signal);
        try {
            handle.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
            handle.get().destroyForcibly();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.get().destroyForcibly();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the log, to show why something did not come up. */
    public String tail(int lines) {
        return tailOf(logFile, lines);
    }

    public static String tailOf(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log at " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + pid + ", started " + ProcessHandle.of(pid).flatMap(h -> h.info().startInstant())
                .map(Instant::toString).orElse("?") + "]";
    }
}
