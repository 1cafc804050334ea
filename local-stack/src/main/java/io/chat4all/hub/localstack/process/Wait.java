package io.chat4all.hub.localstack.process;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a health check until it passes, the process behind it dies, or the time is up. */
public final class Wait {

    private Wait() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier healthy, ManagedProcess process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (true) {
            if (healthy.getAsBoolean()) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new StackException(what + " exited during start-up; last lines of " + process.logFile() + ":"
                        + System.lineSeparator() + process.tail(25),
                        "read the log above; a port in use or a damaged data directory are the usual causes"
                                + " (./hub up --fresh starts from empty data)");
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(what + " was not healthy after " + timeout.toSeconds() + " s"
                        + (process == null ? "" : "; last lines of " + process.logFile() + ":"
                        + System.lineSeparator() + process.tail(25)),
                        "the machine may be overloaded; see the log, then retry");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + what, "retry");
            }
            pause = Math.min(500, pause * 2);
        }
    }
}
