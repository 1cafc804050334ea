package io.chat4all.hub.gateway.core;

import java.util.concurrent.Callable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs blocking JDBC work off the Netty event loop, on a bounded pool sized to the connection
 * pool (more threads than connections would only wait for a connection).
 */
@Component
public class Jdbc implements AutoCloseable {

    private final Scheduler scheduler;

    Jdbc(org.springframework.core.env.Environment environment) {
        int connections = environment.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 10);
        this.scheduler = Schedulers.newBoundedElastic(connections, 10_000, "jdbc");
    }

    public <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(scheduler);
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
