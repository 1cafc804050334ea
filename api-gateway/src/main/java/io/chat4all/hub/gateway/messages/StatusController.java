package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/messages/{message_id}/status}: every delivery's current status, the message-level
 * status (the least advanced delivery; the message-wide step while there is none) and the audit
 * trail, starting with {@code accepted}.
 */
@RestController
class StatusController {

    private final StatusRepository statuses;
    private final Jdbc jdbc;

    StatusController(StatusRepository statuses, Jdbc jdbc) {
        this.statuses = statuses;
        this.jdbc = jdbc;
    }

    record DeliveryView(UUID recipient, String channel, String status, Instant at, ErrorView error) {
    }

    record ErrorView(String code, String reason) {
    }

    record TransitionView(String status, Instant at, UUID recipient, String channel, String detail) {
    }

    record StatusView(UUID messageId, String status, List<DeliveryView> deliveries, List<TransitionView> history) {
    }

    @GetMapping("/v1/messages/{message_id}/status")
    Mono<StatusView> status(@PathVariable("message_id") UUID messageId, @AuthenticationPrincipal HubPrincipal caller) {
        return jdbc.call(() -> {
            StatusRepository.Visible message = statuses.visible(messageId, caller.userId(), caller.isIntegrator())
                    .orElseThrow(() -> ApiException.notFound("message " + messageId));
            List<StatusRepository.Delivery> deliveries = statuses.deliveries(message.msgId());
            String status = deliveries.stream().min(Comparator.comparingInt(StatusRepository.Delivery::rank))
                    .map(StatusRepository.Delivery::status)
                    .orElseGet(() -> statuses.wholeMessageStatus(message.msgId()).orElse("accepted"));
            List<TransitionView> history = new ArrayList<>();
            history.add(new TransitionView("accepted", message.acceptedAt(), null, null, null));
            statuses.history(message.msgId()).forEach(t -> history.add(new TransitionView(t.status(), t.at(), t.recipient(),
                    t.channel(), t.detail())));
            return new StatusView(messageId, status, deliveries.stream().map(d -> new DeliveryView(d.recipient(), d.channel(),
                    d.status(), d.at(), d.errorCode() == null && d.errorReason() == null ? null
                            : new ErrorView(d.errorCode(), d.errorReason()))).toList(), history);
        });
    }
}
