package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.Cursors;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.Quotas;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Sending ({@code POST /v1/messages}) and reading history ({@code GET /v1/conversations/{id}/messages},
 * {@code GET /v1/messages/{id}}). Participants read their own copies; integrators the canonical messages.
 */
@RestController
class MessageController {

    private final MessageAcceptance acceptance;
    private final HistoryRepository history;
    private final MessageClaims claims;
    private final Jdbc jdbc;
    private final LargeTexts largeTexts;

    private final Quotas quotas;

    MessageController(MessageAcceptance acceptance, HistoryRepository history,
                      MessageClaims claims, Jdbc jdbc, LargeTexts largeTexts, Quotas quotas) {
        this.quotas = quotas;
        this.largeTexts = largeTexts;
        this.acceptance = acceptance;
        this.history = history;
        this.claims = claims;
        this.jdbc = jdbc;
    }

    record AcceptedResponse(UUID messageId, UUID conversationId, String status, Instant acceptedAt) {
    }

    record MessageResponse(UUID messageId, Long seq, UUID conversationId, UUID from, Map<String, Object> payload,
                           Map<String, Object> metadata, String status, Instant createdAt) {

        /** A stored message as clients see it (a large text read back whole from object storage). */
        static MessageResponse of(HistoryRepository.StoredMessage m, LargeTexts texts) {
            return new MessageResponse(m.messageId(), m.seq(), m.conversationId(), m.from(), texts.resolve(m.payload()),
                    m.metadata(), m.status(), m.createdAt());
        }
    }

    record MessagePage(List<MessageResponse> messages, String nextCursor) {
    }

    @PostMapping(path = "/v1/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<AcceptedResponse> send(@RequestBody JsonNode body, @AuthenticationPrincipal HubPrincipal caller) {
        quotas.enforce(caller, Quotas.Kind.SENDS, 1);
        return Mono.fromCallable(() -> MessageRequestParser.parse(body, caller))
                .flatMap(acceptance::accept)
                .map(r -> new AcceptedResponse(r.messageId(), r.conversationId(), "accepted", r.acceptedAt()));
    }

    @GetMapping("/v1/conversations/{id}/messages")
    Mono<MessagePage> history(@PathVariable UUID id, @RequestParam(required = false) String cursor,
                              @RequestParam(required = false) Integer limit,
                              @RequestParam(name = "after_seq", required = false) Long afterSeq,
                              @RequestParam(name = "before_seq", required = false) Long beforeSeq,
                              @AuthenticationPrincipal HubPrincipal caller) {
        int size = Cursors.limit(limit);
        HistoryRepository.Slice slice = Cursors.decode(cursor, parts -> parts.get(0).equals("a")
                ? new HistoryRepository.Slice(Long.parseLong(parts.get(1)), null, size)
                : new HistoryRepository.Slice(null, Long.parseLong(parts.get(1)), size));
        if (slice == null) {
            if (afterSeq != null && afterSeq < 0 || beforeSeq != null && beforeSeq < 1) {
                throw ApiException.invalid(afterSeq != null ? "after_seq" : "before_seq", "must be a positive sequence number");
            }
            slice = new HistoryRepository.Slice(afterSeq, beforeSeq, size);
        }
        boolean ascending = slice.afterSeq() != null;
        HistoryRepository.Slice query = new HistoryRepository.Slice(slice.afterSeq(), slice.beforeSeq(), size + 1);
        return jdbc.call(() -> {
            boolean canonical = caller.isIntegrator();
            if (!canonical && !history.mayRead(id, caller.userId())) {
                throw ApiException.notFound("conversation " + id);
            }
            List<HistoryRepository.StoredMessage> found = history.page(caller.userId(), canonical, id, query);
            List<HistoryRepository.StoredMessage> page = found.subList(0, Math.min(size, found.size()));
            String next = found.size() > size
                    ? Cursors.encode(ascending ? "a" : "d", Long.toString(page.get(page.size() - 1).seq())) : null;
            return new MessagePage(page.stream().map(m -> MessageResponse.of(m, largeTexts)).toList(), next);
        });
    }

    @GetMapping("/v1/messages/{message_id}")
    Mono<MessageResponse> message(@PathVariable("message_id") UUID messageId, @AuthenticationPrincipal HubPrincipal caller) {
        return jdbc.call(() -> history.find(caller.userId(), caller.isIntegrator(), messageId)
                .map(m -> MessageResponse.of(m, largeTexts))
                .or(() -> notRoutedYet(messageId, caller))
                .orElseThrow(() -> ApiException.notFound("message " + messageId)));
    }

    /**
     * A message accepted but not stored yet (usually a matter of milliseconds): its sender sees it as
     * {@code accepted}, without a seq and without its payload (the claim keeps the receipt, not the
     * body; the client has the body it just sent).
     */
    private Optional<MessageResponse> notRoutedYet(UUID messageId, HubPrincipal caller) {
        return (caller.isIntegrator() ? claims.findAny(messageId) : claims.find(messageId, caller.userId()))
                .map(claim -> new MessageResponse(claim.messageId(), null, claim.conversationId(), claim.senderId(),
                        null, null, "accepted", claim.acceptedAt()));
    }
}
