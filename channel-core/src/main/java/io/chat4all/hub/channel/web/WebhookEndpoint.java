package io.chat4all.hub.channel.web;

import io.chat4all.hub.channel.messaging.InboundPublisher;
import io.chat4all.hub.channel.messaging.WebhookStatuses;
import io.chat4all.hub.contracts.events.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider's webhook, the same for every Meta channel: the verification handshake, the signature
 * checked on the raw bytes before anything parses them (401 otherwise), then the callback's
 * statuses and inbound messages handed on. 200 only once all of it is published, so the provider
 * retries whatever the hub did not take; applying a callback twice changes nothing.
 */
public final class WebhookEndpoint {

    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);

    private final Channel channel;
    private final WebhookSignature signature;
    private final WebhookVerification verification;
    private final WebhookStatuses statuses;
    private final InboundPublisher inbound;
    private final WebhookWork work;
    private final MeterRegistry meters;
    private final JsonMapper json = JsonMapper.builder().build();

    public WebhookEndpoint(Channel channel, WebhookSignature signature, WebhookVerification verification,
                           WebhookStatuses statuses, InboundPublisher inbound, WebhookWork work, MeterRegistry meters) {
        this.channel = channel;
        this.signature = signature;
        this.verification = verification;
        this.statuses = statuses;
        this.inbound = inbound;
        this.work = work;
        this.meters = meters;
    }

    /** {@code GET}: echo the challenge for the right verify token, 403 otherwise. */
    public ResponseEntity<String> verify(String mode, String token, String challenge) {
        return verification.challenge(mode, token, challenge)
                .map(echo -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(echo))
                .orElseGet(() -> {
                    log.warn("{} webhook verification refused (mode {}, wrong or missing verify token)",
                            channel.wireName(), mode);
                    return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
                });
    }

    /** {@code POST}: check, parse, apply. */
    public Mono<ResponseEntity<Object>> receive(byte[] body, String signatureHeader,
                                                Function<JsonNode, WebhookCallback> parser) {
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
            callback = parser.apply(json.readTree(raw));
        } catch (JacksonException | IllegalArgumentException unreadable) {
            count("unreadable");
            return Mono.just(problem(HttpStatus.BAD_REQUEST, "the callback is not a " + channel.wireName()
                    + " webhook payload: " + unreadable.getMessage()));
        }
        return work.call(() -> {
            callback.statuses().forEach(statuses::apply);
            callback.inbound().forEach(inbound::publish);
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

    private void count(String result) {
        meters.counter("hub.channel.webhooks", "channel", channel.wireName(), "result", result).increment();
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
