package io.chat4all.hub.channel.web;

import io.chat4all.hub.autoconfigure.LogSafe;
import io.chat4all.hub.channel.messaging.InboundPublisher;
import io.chat4all.hub.channel.messaging.WebhookStatuses;
import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.InboundChannelMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET}/{@code POST /webhooks/<channel>}: a provider's webhook, the same for every Meta
 * channel (the adapter supplies its {@link WebhookParser}): the verification handshake, the signature
 * checked on the raw bytes before anything parses them (401 otherwise), then the callback's
 * statuses and inbound messages handed on. 200 only once all of it is published, so the provider
 * retries whatever the hub did not take; applying a callback twice changes nothing. An inbound
 * message sent longer ago than the replay window is dropped (a signed body stays valid forever, and
 * past the window the gateway no longer remembers it had it): a callback with nothing else gets 400.
 * Statuses only move a delivery forward, so a replayed one changes nothing and is not windowed.
 */
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final Channel channel;
    private final WebhookSignature signature;
    private final WebhookVerification verification;
    private final WebhookStatuses statuses;
    private final InboundPublisher inbound;
    private final WebhookWork work;
    private final MeterRegistry meters;
    private final WebhookParser parser;
    private final Duration replayWindow;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    public WebhookController(Channel channel, WebhookParser parser, WebhookSignature signature,
                             WebhookVerification verification, WebhookStatuses statuses, InboundPublisher inbound,
                             WebhookWork work, MeterRegistry meters, Duration replayWindow, Clock clock) {
        this.replayWindow = replayWindow;
        this.clock = clock;
        this.channel = channel;
        this.parser = parser;
        this.signature = signature;
        this.verification = verification;
        this.statuses = statuses;
        this.inbound = inbound;
        this.work = work;
        this.meters = meters;
    }

    /** {@code GET}: echo the challenge for the right verify token, 403 otherwise. */
    @GetMapping("/webhooks/{channel}")
    public ResponseEntity<?> verify(@PathVariable("channel") String path,
                                    @RequestParam(name = "hub.mode", required = false) String mode,
                                    @RequestParam(name = "hub.verify_token", required = false) String token,
                                    @RequestParam(name = "hub.challenge", required = false) String challenge) {
        if (!channel.wireName().equals(path)) {
            return notThisChannel(path);
        }
        return verification.challenge(mode, token, challenge)
                .map(echo -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(echo))
                .orElseGet(() -> {
                    log.warn("{} webhook verification refused (mode {}, wrong or missing verify token)",
                            channel.wireName(), LogSafe.quote(mode));
                    return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
                });
    }

    /** {@code POST}: check, parse, apply. */
    @PostMapping("/webhooks/{channel}")
    public Mono<ResponseEntity<Object>> receive(@PathVariable("channel") String path,
                                                @RequestBody(required = false) byte[] body,
                                                @RequestHeader(name = "X-Hub-Signature-256", required = false)
                                                String signatureHeader) {
        if (!channel.wireName().equals(path)) {
            return Mono.just(notThisChannel(path));
        }
        byte[] raw = body == null ? new byte[0] : body;
        if (!signature.matches(raw, signatureHeader)) {
            count("unsigned");
            log.warn("{} webhook refused: X-Hub-Signature-256 {}", channel.wireName(),
                    signatureHeader == null ? "missing" : "does not match the body");
            return Mono.just(problem(HttpStatus.UNAUTHORIZED,
                    "X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with the app secret"));
        }
        WebhookCallback callback;
        try {
            callback = parser.parse(json.readTree(raw));
        } catch (JacksonException | IllegalArgumentException unreadable) {
            count("unreadable");
            return Mono.just(problem(HttpStatus.BAD_REQUEST, "the callback is not a " + channel.wireName()
                    + " webhook payload: " + unreadable.getMessage()));
        }
        Instant oldest = clock.instant().minus(replayWindow);
        List<InboundChannelMessage> fresh = callback.inbound().stream().filter(m -> !m.sentAt().isBefore(oldest)).toList();
        if (fresh.size() < callback.inbound().size()) {
            int stale = callback.inbound().size() - fresh.size();
            meters.counter("hub.channel.webhooks", "channel", channel.wireName(), "result", "stale").increment(stale);
            log.warn("{} webhook: {} inbound message(s) sent before {} (the replay window, {}) dropped: {}", channel.wireName(),
                    stale, oldest, replayWindow, LogSafe.quote(callback.inbound().stream().filter(m -> m.sentAt().isBefore(oldest))
                            .map(InboundChannelMessage::providerMessageId).toList().toString()));
            if (fresh.isEmpty() && callback.statuses().isEmpty()) {
                return Mono.just(problem(HttpStatus.BAD_REQUEST, "the callback's messages were sent before the replay window"
                        + " of " + replayWindow + "; nothing was taken"));
            }
        }
        return work.call(() -> {
            callback.statuses().forEach(statuses::apply);
            fresh.forEach(inbound::publish);
            count("accepted");
            return ResponseEntity.ok().build();
        }).onErrorResume(RuntimeException.class, failure -> {
            count("failed");
            log.warn("{} webhook not taken, the provider will retry it: {}", channel.wireName(), failure.getMessage());
            ResponseEntity<Object> unavailable = problem(HttpStatus.SERVICE_UNAVAILABLE,
                    "the hub could not record the callback now; retry later");
            return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(unavailable.getBody()));
        });
    }

    private ResponseEntity<Object> notThisChannel(String path) {
        return problem(HttpStatus.NOT_FOUND, "this adapter serves /webhooks/" + channel.wireName() + ", not /webhooks/"
                + path);
    }

    private void count(String result) {
        meters.counter("hub.channel.webhooks", "channel", channel.wireName(), "result", result).increment();
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
