package io.chat4all.hub.simulator.web;

import io.chat4all.hub.simulator.domain.Channel;
import io.chat4all.hub.simulator.domain.Ids;
import io.chat4all.hub.simulator.domain.WhatsAppSend;
import io.chat4all.hub.simulator.webhook.WhatsAppWebhooks;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The WhatsApp Cloud API's send endpoint; the adapter's base URL is {@code http://<simulator>/whatsapp}. */
@RestController
class WhatsAppController {

    private final SendPipeline pipeline;
    private final WhatsAppWebhooks webhooks;

    WhatsAppController(SendPipeline pipeline, WhatsAppWebhooks webhooks) {
        this.pipeline = pipeline;
        this.webhooks = webhooks;
    }

    /** {@code {"messaging_product":"whatsapp","contacts":[{"input":..,"wa_id":..}],"messages":[{"id":"wamid..."}]}} */
    record SendResponse(String messagingProduct, List<Contact> contacts, List<MessageRef> messages) {
    }

    record Contact(String input, String waId) {
    }

    record MessageRef(String id) {
    }

    @PostMapping("/whatsapp/{version}/{phoneNumberId}/messages")
    Mono<ResponseEntity<Object>> send(@PathVariable String phoneNumberId, ServerWebExchange exchange) {
        return pipeline.handle(Channel.WHATSAPP, exchange, WhatsAppSend::parse,
                send -> accept(phoneNumberId, send));
    }

    private SendPipeline.Accepted accept(String phoneNumberId, WhatsAppSend send) {
        String wamid = Ids.wamid();
        SendResponse response = new SendResponse("whatsapp", List.of(new Contact(send.to(), send.to())),
                List.of(new MessageRef(wamid)));
        return new SendPipeline.Accepted(wamid, response, () -> webhooks.scheduleStatuses(phoneNumberId, send, wamid));
    }
}
