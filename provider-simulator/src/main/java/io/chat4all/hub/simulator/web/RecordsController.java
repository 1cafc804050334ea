package io.chat4all.hub.simulator.web;

import io.chat4all.hub.simulator.domain.Channel;
import io.chat4all.hub.simulator.domain.Faults;
import io.chat4all.hub.simulator.domain.RecordedRequest;
import io.chat4all.hub.simulator.domain.RequestLog;
import io.chat4all.hub.simulator.webhook.WebhookAttempt;
import io.chat4all.hub.simulator.webhook.WebhookLog;
import io.chat4all.hub.simulator.webhook.WebhookOutcome;
import io.chat4all.hub.simulator.webhook.WebhookSender;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Control API: what the simulator received and sent ({@code /_sim/requests}, {@code /_sim/webhooks}, {@code /_sim/stats}). */
@RestController
class RecordsController {

    private final RequestLog requests;
    private final WebhookLog webhooks;
    private final WebhookSender sender;
    private final Faults faults;

    RecordsController(RequestLog requests, WebhookLog webhooks, WebhookSender sender, Faults faults) {
        this.requests = requests;
        this.webhooks = webhooks;
        this.sender = sender;
        this.faults = faults;
    }

    record RequestList(List<RecordedRequest> requests) {
    }

    record WebhookList(List<WebhookAttempt> webhooks) {
    }

    /** @param seq the replay's own attempt in the webhook log */
    record Replayed(long seq, Integer webhookStatus, String webhookError) {

        static Replayed of(WebhookOutcome outcome) {
            return new Replayed(outcome.seq(), outcome.status(), outcome.error());
        }
    }

    /**
     * @param requests         channel → answered status (or {@code no_answer}) → count
     * @param webhooks         channel → receiver status (or {@code error}) → count
     * @param faultsFired      sends faults fired on since start
     * @param recordedRequests requests kept in the log
     * @param recordedWebhooks webhook attempts kept in the log
     */
    record Stats(Map<String, Map<String, Long>> requests, Map<String, Map<String, Long>> webhooks, long faultsFired,
                 int recordedRequests, int recordedWebhooks) {
    }

    @GetMapping("/_sim/requests")
    RequestList requests(@RequestParam(required = false) String channel,
                         @RequestParam(required = false) String recipient) {
        return new RequestList(requests.select(Channel.fromValue(channel), blankToNull(recipient)));
    }

    /** Clears the recorded requests and webhook attempts, and their counts. */
    @DeleteMapping("/_sim/requests")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clear() {
        requests.clear();
        webhooks.clear();
    }

    @GetMapping("/_sim/webhooks")
    WebhookList webhooks(@RequestParam(required = false) String channel,
                         @RequestParam(name = "provider_message_id", required = false) String providerMessageId,
                         @RequestParam(required = false) String kind) {
        return new WebhookList(webhooks.select(Channel.fromValue(channel), blankToNull(providerMessageId),
                blankToNull(kind)));
    }

    /** Sends the recorded attempt {@code seq} again, byte for byte with its signature: a duplicate delivery. */
    @PostMapping("/_sim/webhooks/{seq}/replay")
    Mono<ResponseEntity<Object>> replay(@PathVariable long seq) {
        return webhooks.find(seq)
                .map(attempt -> sender.replay(attempt).<ResponseEntity<Object>>map(o -> ResponseEntity.ok(Replayed.of(o))))
                .orElseGet(() -> Mono.just(ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(new ControlErrors.Error("no recorded webhook " + seq))));
    }

    @GetMapping("/_sim/stats")
    Stats stats() {
        return new Stats(requests.counts(), webhooks.counts(), faults.firedCount(), requests.size(), webhooks.size());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
