package io.chat4all.hub.simulator.web;

import io.chat4all.hub.simulator.domain.Channel;
import io.chat4all.hub.simulator.domain.Ids;
import io.chat4all.hub.simulator.domain.InstagramSend;
import io.chat4all.hub.simulator.webhook.InstagramWebhooks;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The Instagram Send API ({@code /me/messages} or {@code /{ig-id}/messages}); the adapter's base URL is
 * {@code http://<simulator>/instagram}.
 */
@RestController
class InstagramController {

    private final SendPipeline pipeline;
    private final InstagramWebhooks webhooks;

    InstagramController(SendPipeline pipeline, InstagramWebhooks webhooks) {
        this.pipeline = pipeline;
        this.webhooks = webhooks;
    }

    /** {@code {"recipient_id":..,"message_id":..}} */
    record SendResponse(String recipientId, String messageId) {
    }

    @PostMapping("/instagram/{version}/{igId}/messages")
    Mono<ResponseEntity<Object>> send(@PathVariable String igId, ServerWebExchange exchange) {
        String businessId = webhooks.businessId(igId);
        return pipeline.handle(Channel.INSTAGRAM, exchange, InstagramSend::parse,
                send -> accept(businessId, send));
    }

    private SendPipeline.Accepted accept(String businessId, InstagramSend send) {
        String mid = Ids.instagramMid();
        return new SendPipeline.Accepted(mid, new SendResponse(send.recipientId(), mid),
                () -> webhooks.scheduleRead(businessId, send.recipientId(), mid));
    }
}
