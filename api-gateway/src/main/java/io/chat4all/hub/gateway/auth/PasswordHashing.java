package io.chat4all.hub.gateway.auth;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * bcrypt on a bounded pool of its own (one thread per core, {@value #QUEUE} tasks waiting at
 * most): a burst of logins or user creations cannot take the JDBC threads or the event loop, and
 * beyond the queue a request is refused (503, Retry-After) instead of piling up.
 */
@Component
public class PasswordHashing implements AutoCloseable {

    static final int QUEUE = 256;

    private final PasswordEncoder encoder;
    private final Scheduler scheduler;

    PasswordHashing(PasswordEncoder encoder) {
        this.encoder = encoder;
        this.scheduler = Schedulers.newBoundedElastic(Runtime.getRuntime().availableProcessors(), QUEUE, "bcrypt");
    }

    public Mono<Boolean> matches(String raw, String hash) {
        return Mono.fromCallable(() -> encoder.matches(raw, hash)).subscribeOn(scheduler);
    }

    public Mono<String> encode(String raw) {
        return Mono.fromCallable(() -> encoder.encode(raw)).subscribeOn(scheduler);
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
