package io.chat4all.hub.whatsapp.web;

import io.chat4all.hub.channel.web.WebhookEndpoint;
import java.time.Clock;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET}/{@code POST /webhooks/whatsapp}: Meta's handshake and callbacks. */
@RestController
class WhatsAppWebhookController {

    private final WebhookEndpoint endpoint;
    private final WhatsAppCallbacks callbacks;

    WhatsAppWebhookController(WebhookEndpoint endpoint, Clock clock) {
        this.endpoint = endpoint;
        this.callbacks = new WhatsAppCallbacks(clock);
    }

    @GetMapping("/webhooks/whatsapp")
    ResponseEntity<String> verify(@RequestParam(name = "hub.mode", required = false) String mode,
                                  @RequestParam(name = "hub.verify_token", required = false) String token,
                                  @RequestParam(name = "hub.challenge", required = false) String challenge) {
        return endpoint.verify(mode, token, challenge);
    }

    @PostMapping("/webhooks/whatsapp")
    Mono<ResponseEntity<Object>> receive(@RequestBody(required = false) byte[] body,
                                         @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature) {
        return endpoint.receive(body, signature, callbacks::parse);
    }
}
