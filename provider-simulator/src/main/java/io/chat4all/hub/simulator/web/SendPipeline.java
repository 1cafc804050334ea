package io.chat4all.hub.simulator.web;

import io.chat4all.hub.simulator.config.SimulatorProperties;
import io.chat4all.hub.simulator.domain.AccessTokens;
import io.chat4all.hub.simulator.domain.Channel;
import io.chat4all.hub.simulator.domain.Fault;
import io.chat4all.hub.simulator.domain.FaultKind;
import io.chat4all.hub.simulator.domain.FaultResponses;
import io.chat4all.hub.simulator.domain.Faults;
import io.chat4all.hub.simulator.domain.GraphException;
import io.chat4all.hub.simulator.domain.RequestLog;
import io.chat4all.hub.simulator.domain.SendRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.StringNode;

/**
 * What every provider send goes through: access token, JSON, the provider's validation, injected faults,
 * then acceptance; every request is recorded with the answer it got.
 */
@Component
class SendPipeline {

    private static final Logger log = LoggerFactory.getLogger(SendPipeline.class);
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final String TOO_LARGE = "<body larger than 1 MiB>";
    private static final String WWW_AUTHENTICATE =
            "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token - Cannot parse access token\"";

    private final AccessTokens tokens;
    private final Faults faults;
    private final RequestLog requests;
    private final JsonMapper mapper;
    private final Clock clock;

    SendPipeline(SimulatorProperties properties, Faults faults, RequestLog requests, JsonMapper mapper, Clock clock) {
        this.tokens = new AccessTokens(properties.accessToken());
        this.faults = faults;
        this.requests = requests;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * An accepted send: the provider's message id and the success body.
     *
     * @param afterAnswer schedules the status webhooks
     */
    record Accepted(String providerMessageId, Object body, Runnable afterAnswer) {
    }

    /**
     * Reads the body whatever its content type (Meta's clients send JSON) and handles the send.
     *
     * @param validate the provider's validation, throwing {@link GraphException}
     * @param accept   makes the ids and the answer of a send that is accepted
     */
    <T extends SendRequest> Mono<ResponseEntity<Object>> handle(Channel channel, ServerWebExchange exchange,
                                                                Function<JsonNode, T> validate,
                                                                Function<T, Accepted> accept) {
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY_BYTES)
                .map(SendPipeline::text)
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(TOO_LARGE))
                .defaultIfEmpty("")
                .flatMap(raw -> handle(channel, exchange, raw, validate, accept));
    }

    private <T extends SendRequest> Mono<ResponseEntity<Object>> handle(Channel channel, ServerWebExchange exchange,
                                                                        String rawBody, Function<JsonNode, T> validate,
                                                                        Function<T, Accepted> accept) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        JsonNode body = read(rawBody);
        RequestLog.Entry entry = new RequestLog.Entry(channel, exchange.getRequest().getPath().value(), clock.instant(),
                channel.recipientIn(body), body, authorization != null);
        T request;
        try {
            tokens.check(authorization);
            request = validate.apply(body);
        } catch (GraphException e) {
            return Mono.just(refuse(entry, e, null));
        }
        Optional<Fault> fault = faults.fire(channel, request.recipient());
        if (fault.isEmpty()) {
            return Mono.fromSupplier(() -> answer(entry, accept.apply(request), null));
        }
        return inject(fault.get(), entry, exchange, () -> answer(entry, accept.apply(request), fault.get().kind()));
    }

    private Mono<ResponseEntity<Object>> inject(Fault fault, RequestLog.Entry entry, ServerWebExchange exchange,
                                                Supplier<ResponseEntity<Object>> normalAnswer) {
        log.info("Fault fired faultId={} kind={} channel={} recipient={} delayMs={}", fault.id(),
                fault.kind().value(), entry.channel().value(), entry.recipient(), fault.delay().toMillis());
        switch (fault.kind()) {
            case SLOW:
                return Mono.delay(fault.delay()).map(tick -> normalAnswer.get());
            case TIMEOUT:
                requests.record(entry, null, null, FaultKind.TIMEOUT);
                return Mono.delay(fault.delay()).then(Mono.defer(() -> drop(exchange)));
            default:
                return Mono.just(refuse(entry, FaultResponses.of(entry.channel(), fault.kind()), fault.kind()));
        }
    }

    private ResponseEntity<Object> answer(RequestLog.Entry entry, Accepted accepted, FaultKind fault) {
        record(entry, HttpStatus.OK, accepted.providerMessageId(), fault);
        accepted.afterAnswer().run();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(accepted.body());
    }

    private ResponseEntity<Object> refuse(RequestLog.Entry entry, GraphException e, FaultKind fault) {
        record(entry, e.status(), null, fault);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, WWW_AUTHENTICATE);
        }
        return response.body(e.error().body());
    }

    private void record(RequestLog.Entry entry, HttpStatus status, String providerMessageId, FaultKind fault) {
        requests.record(entry, status.value(), providerMessageId, fault);
        log.debug("Send channel={} path={} recipient={} status={} providerMessageId={} fault={}",
                entry.channel().value(), entry.path(), entry.recipient(), status.value(), providerMessageId,
                fault == null ? null : fault.value());
    }

    /** Closes the connection without an answer: the client sees its own timeout or a closed connection. */
    private static Mono<ResponseEntity<Object>> drop(ServerWebExchange exchange) {
        Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
        if (nativeResponse instanceof Connection) {
            ((Connection) nativeResponse).dispose();
        }
        return Mono.empty();
    }

    private static String text(DataBuffer buffer) {
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The body as JSON, or as a JSON string when it is not JSON (recorded as received, refused as malformed). */
    private JsonNode read(String rawBody) {
        if (rawBody == null || rawBody.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return mapper.readTree(rawBody);
        } catch (JacksonException e) {
            return StringNode.valueOf(rawBody);
        }
    }
}
