package io.chat4all.hub.localstack.engine;

import io.chat4all.hub.localstack.process.ManagedProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One engine of the stack: started by us, or an external one we only check and pass on. */
public interface Engine {

    EngineKind kind();

    /** TCP ports this engine will listen on (checked as free before anything starts). */
    List<Integer> ports();

    /** Launches the engine's process; returns without waiting for it to be healthy. */
    void start();

    /** Waits until healthy, then creates what the hub needs in it (database, bucket); idempotent. */
    void awaitReady(Duration timeout);

    boolean isHealthy();

    /** The processes we started for this engine (empty for an external engine). */
    List<ManagedProcess> processes();

    /** Where it listens, e.g. {@code 127.0.0.1:19092}, for the table the launcher prints. */
    String address();

    /**
     * How services reach it, as the environment variables they read (e.g.
     * {@code KAFKA_BOOTSTRAP_SERVERS}); secrets included.
     */
    Map<String, String> connection();
}
