package io.chat4all.hub.gateway.realtime;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Quotas;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /v1/stream}: the caller's events as Server-Sent Events. Each message event's {@code id}
 * is its cursor, so a browser's {@code EventSource} resumes by itself ({@code Last-Event-ID});
 * other clients pass {@code after=<cursor>}. {@code status} events (a delivery's step, live only)
 * carry no id. The first frame ({@code ready}) carries the cursor the
 * stream starts from; an idle stream gets a comment every heartbeat; a stream the server ends
 * (slow client, shutdown, the token expired or was revoked) gets a last {@code error} frame with the reason.
 */
@RestController
class StreamController {

    private final Streams streams;
    private final HeldCredentials credentials;

    private final Quotas quotas;

    StreamController(Streams streams, HeldCredentials credentials, Quotas quotas) {
        this.quotas = quotas;
        this.streams = streams;
        this.credentials = credentials;
    }

    @GetMapping(path = "/v1/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(@RequestParam(required = false) String after,
                                         @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                         @AuthenticationPrincipal HubPrincipal caller, ServerHttpResponse response) {
        if (caller.isIntegrator()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden",
                    "a stream carries a user's own conversations; sign in as the user");
        }
        String cursor = after != null ? after : lastEventId;
        StreamCursor from;
        try {
            from = cursor == null || cursor.isBlank() ? null : StreamCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(after != null ? "after" : "Last-Event-ID", "is not a cursor this API handed out");
        }
        if (from != null) {
            quotas.enforce(caller, Quotas.Kind.REPLAYS, 1);
        }
        Streams.OpenStream stream = streams.open(caller.userId(), from);
        HeldCredentials.Held held = credentials.hold(caller, refusal -> stream.subscriber()
                .close(HeldCredentials.code(refusal), HeldCredentials.detail(refusal)));
        // A reverse proxy (nginx) would otherwise buffer the stream and deliver events late, in bursts.
        response.getHeaders().set("X-Accel-Buffering", "no");
        ServerSentEvent<Object> ready = ServerSentEvent.builder()
                .id(stream.start().encode()).event("ready")
                .data((Object) Map.of("type", "ready", "cursor", stream.start().encode())).build();
        Flux<ServerSentEvent<Object>> events = stream.events().map(StreamController::frame);
        // A tick the connection has no demand for (a slow client) is dropped, never an overflow error.
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(streams.properties().heartbeat()).onBackpressureDrop()
                .map(tick -> ServerSentEvent.builder().comment("heartbeat").build());
        Flux<ServerSentEvent<Object>> closing = stream.subscriber().closed()
                .map(reason -> ServerSentEvent.builder().event("error")
                        .data((Object) Map.of("type", "error", "reason", reason)).build())
                .flux();
        return Flux.concat(Flux.just(ready),
                Flux.merge(events, heartbeats).takeUntilOther(stream.subscriber().closed()),
                closing).doFinally(signal -> held.release());
    }

    private static ServerSentEvent<Object> frame(LiveEvent event) {
        ServerSentEvent.Builder<Object> frame = ServerSentEvent.builder().data((Object) event.body());
        if (event instanceof StreamEvent message) {
            return (message.cursor() == null ? frame : frame.id(message.cursor().encode())).event("message").build();
        }
        return frame.event("status").build();
    }
}
