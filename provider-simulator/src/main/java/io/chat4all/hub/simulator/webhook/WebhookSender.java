package io.chat4all.hub.simulator.webhook;

import io.chat4all.hub.simulator.config.SimulatorProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * POSTs signed webhooks the way Meta does: asynchronously, and again with a doubling backoff while the
 * receiver does not answer 2xx, up to {@code simulator.webhook.max-attempts}. Every attempt is recorded.
 * Nothing here blocks a thread: the JDK client's {@code sendAsync} and Reactor timers only.
 */
@Component
public class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final HttpClient http;
    private final WebhookLog webhookLog;
    private final SimulatorProperties.Webhook settings;
    private final Clock clock;

    WebhookSender(HttpClient http, WebhookLog webhookLog, SimulatorProperties properties, Clock clock) {
        this.http = http;
        this.webhookLog = webhookLog;
        this.settings = properties.webhook();
        this.clock = clock;
    }

    /** The first attempt's outcome; when it failed, the retries go on in the background. */
    public Mono<WebhookOutcome> deliver(Webhook hook) {
        return attempt(hook, 1, null).doOnNext(outcome -> {
            if (!outcome.delivered()) {
                retry(hook, 2);
            }
        });
    }

    /** Builds the webhook after {@code delay} (so its timestamps are the sending time) and delivers it. */
    public void deliverLater(Duration delay, Supplier<Webhook> hook) {
        Mono.delay(delay).flatMap(tick -> deliver(hook.get())).subscribe(outcome -> { }, this::logUnexpected);
    }

    /** Sends a recorded attempt's exact body and signature once more; no retries. */
    public Mono<WebhookOutcome> replay(WebhookAttempt recorded) {
        Webhook hook = new Webhook(recorded.channel(), recorded.kind(), recorded.providerMessageId(), recorded.url(),
                recorded.body().getBytes(StandardCharsets.UTF_8), recorded.signature());
        return attempt(hook, 1, recorded.seq());
    }

    private void retry(Webhook hook, int attempt) {
        if (attempt > settings.maxAttempts()) {
            log.info("Gave up on webhook kind={} providerMessageId={} url={} after {} attempts", hook.kind(),
                    hook.providerMessageId(), hook.url(), settings.maxAttempts());
            return;
        }
        Duration backoff = Duration.ofMillis(settings.initialBackoffMs() << Math.min(attempt - 2, 20));
        Mono.delay(backoff)
                .flatMap(tick -> attempt(hook, attempt, null))
                .subscribe(outcome -> {
                    if (!outcome.delivered()) {
                        retry(hook, attempt + 1);
                    }
                }, this::logUnexpected);
    }

    private Mono<WebhookOutcome> attempt(Webhook hook, int attempt, Long replayOf) {
        return Mono.defer(() -> {
            Instant started = clock.instant();
            return Mono.fromFuture(http.sendAsync(request(hook), HttpResponse.BodyHandlers.discarding()))
                    .map(response -> record(hook, attempt, replayOf, started, response.statusCode(), null))
                    .onErrorResume(e -> Mono.just(record(hook, attempt, replayOf, started, null, describe(e))));
        });
    }

    private HttpRequest request(Webhook hook) {
        return HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(Duration.ofMillis(settings.timeoutMs()))
                .header("Content-Type", "application/json")
                .header(WebhookSigner.HEADER, hook.signature())
                .header("User-Agent", "facebookexternalua")
                .POST(HttpRequest.BodyPublishers.ofByteArray(hook.body()))
                .build();
    }

    private WebhookOutcome record(Webhook hook, int attempt, Long replayOf, Instant started, Integer status,
                                  String error) {
        WebhookAttempt recorded = webhookLog.record(hook, attempt, replayOf, started, status, error);
        WebhookOutcome outcome = new WebhookOutcome(status, error, recorded.seq());
        if (outcome.delivered()) {
            log.debug("Webhook kind={} providerMessageId={} attempt={} answered {}", hook.kind(),
                    hook.providerMessageId(), attempt, status);
        } else {
            log.info("Webhook failed kind={} providerMessageId={} url={} attempt={} status={} error={}", hook.kind(),
                    hook.providerMessageId(), hook.url(), attempt, status, error);
        }
        return outcome;
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private void logUnexpected(Throwable e) {
        log.warn("Webhook delivery failed unexpectedly", e);
    }
}
