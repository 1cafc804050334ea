package io.chat4all.hub.channel.web;

import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a webhook's blocking work (the ledger, waiting for the broker's ack) off the Netty event
 * loop, on a pool bounded by the database connections it would wait for anyway.
 */
public final class WebhookWork implements AutoCloseable {

    private final Scheduler scheduler;

    public WebhookWork(int threads) {
        this.scheduler = Schedulers.newBoundedElastic(Math.max(2, threads), 10_000, "webhook");
    }

    public <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(scheduler);
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
