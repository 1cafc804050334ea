package io.chat4all.hub.indexer.cdc;

import io.chat4all.hub.indexer.config.IndexerProperties;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Debezium embedded engine on PostgreSQL's WAL, on a thread of its own. When it fails (the
 * database restarted, Kafka did not take a batch, another instance holds the replication slot) it
 * is started again after {@code restart-backoff}, resuming from its stored offset; so a second
 * indexer instance is a standby that takes over when the slot is released.
 */
public final class CdcEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CdcEngine.class);

    /** What the engine is doing, for health. */
    public enum State { STOPPED, STARTING, STREAMING, RESTARTING }

    private final Properties settings;
    private final DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> consumer;
    private final IndexerProperties.Cdc cdc;
    private final LostSlotRecovery recovery;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> daemon(r, "cdc-engine"));
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cdc-restart"));
    private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
    private volatile boolean running;
    private volatile State state = State.STOPPED;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile int failures;
    private volatile boolean restartRequested;

    CdcEngine(Properties settings, DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> consumer,
              IndexerProperties.Cdc cdc, LostSlotRecovery recovery) {
        this.settings = settings;
        this.consumer = consumer;
        this.cdc = cdc;
        this.recovery = recovery;
    }

    /** Starts the engine in the background (the slot check before it needs the database). */
    @Override
    public synchronized void start() {
        running = true;
        restarts.execute(this::launch);
    }

    private synchronized void launch() {
        if (!running) {
            return;
        }
        state = State.STARTING;
        restartRequested = false;
        try {
            recovery.recoverIfLost();
        } catch (RuntimeException e) {
            // the database is away: the engine's own start fails the same way and is retried
            log.warn("could not check replication slot {} before starting: {}", cdc.slotName(), e.getMessage());
        }
        log.info("starting the change-data-capture engine on slot {} (publication {}, table {})", cdc.slotName(),
                cdc.publication(), cdc.table());
        engine = DebeziumEngine.create(Json.class)
                .using(settings)
                .notifying(consumer)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state = State.STREAMING;
                        failures = 0;
                        log.info("change-data-capture engine streaming from slot {}", cdc.slotName());
                    }
                })
                .using(this::completed)
                .build();
        runner.execute(engine);
    }

    private void completed(boolean success, String message, Throwable error) {
        if (!running) {
            state = State.STOPPED;
            return;
        }
        failures++;
        lastError = error != null && error.getMessage() != null ? error.getMessage() : message;
        lastErrorAt = Instant.now();
        state = State.RESTARTING;
        log.warn("change-data-capture engine stopped ({}); restarting in {} (failure {} in a row)", lastError,
                cdc.restartBackoff(), failures, error);
        restarts.schedule(this::launch, cdc.restartBackoff().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the running engine so that it starts again (after the back-off) through the slot check:
     * for a slot PostgreSQL invalidated while the engine was up, which Debezium itself would only
     * retry reading for half an hour. Repeated calls before that start do nothing.
     */
    public void restartForLostSlot() {
        DebeziumEngine<ChangeEvent<String, String>> current;
        synchronized (this) {
            if (!running || restartRequested || state == State.STARTING) {
                return;
            }
            restartRequested = true;
            current = engine;
        }
        log.warn("replication slot {} is lost and nobody holds it: restarting the change-data-capture engine",
                cdc.slotName());
        try {
            current.close();
        } catch (IOException e) {
            log.warn("could not close the change-data-capture engine cleanly: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            running = false;
        }
        restarts.shutdownNow();
        DebeziumEngine<ChangeEvent<String, String>> current = engine;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.warn("could not close the change-data-capture engine cleanly: {}", e.getMessage());
            }
        }
        runner.shutdown();
        try {
            if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("the change-data-capture engine did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
        log.info("change-data-capture engine stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public State state() {
        return state;
    }

    /** The last failure, if the engine ever failed. */
    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
