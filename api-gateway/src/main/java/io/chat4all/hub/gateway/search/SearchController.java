package io.chat4all.hub.gateway.search;

import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.Cursors;
import io.chat4all.hub.gateway.core.HubPrincipal;
import io.chat4all.hub.gateway.core.Jdbc;
import io.chat4all.hub.gateway.core.Quotas;
import io.chat4all.hub.gateway.messages.HistoryRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/search}: full-text search over the messages the caller sent or received
 * (integrators: all messages). Relevance order by default, {@code sort=recent} for newest first.
 * A cursor is bound to its query: reusing it with other parameters is a 400, not a wrong page.
 */
@RestController
class SearchController {

    private static final Logger log = LoggerFactory.getLogger(SearchController.class);

    static final int MAX_QUERY_CHARS = 256;

    private final MessageSearch search;
    private final HistoryRepository history;
    private final Jdbc jdbc;

    private final Quotas quotas;

    SearchController(MessageSearch search, HistoryRepository history, Jdbc jdbc, Quotas quotas) {
        this.quotas = quotas;
        this.search = search;
        this.history = history;
        this.jdbc = jdbc;
    }

    record SearchHit(UUID messageId, UUID conversationId, long seq, UUID from, Instant createdAt, String snippet) {
    }

    record SearchPage(List<SearchHit> hits, String nextCursor) {
    }

    @GetMapping("/v1/search")
    Mono<SearchPage> search(@RequestParam(required = false) String q,
                            @RequestParam(name = "conversation_id", required = false) String conversationId,
                            @RequestParam(required = false) String from,
                            @RequestParam(required = false) String since,
                            @RequestParam(required = false) String until,
                            @RequestParam(required = false) String sort,
                            @RequestParam(required = false) String cursor,
                            @RequestParam(required = false) Integer limit,
                            @AuthenticationPrincipal HubPrincipal caller) {
        quotas.enforce(caller, Quotas.Kind.SEARCHES, 1);
        String text = q == null ? "" : q.strip();
        if (text.isEmpty()) {
            throw ApiException.invalid("q", "is required: the words to search for");
        }
        if (text.length() > MAX_QUERY_CHARS) {
            throw ApiException.invalid("q", "must be at most " + MAX_QUERY_CHARS + " characters");
        }
        int size = Cursors.limit(limit);
        MessageSearch.Order order = order(sort);
        UUID conversation = uuid("conversation_id", conversationId);
        UUID sender = uuid("from", from);
        Instant sinceAt = instant("since", since);
        Instant untilAt = instant("until", until);
        if (sinceAt != null && untilAt != null && !sinceAt.isBefore(untilAt)) {
            throw ApiException.invalid("until", "must be after since");
        }
        String binding = binding(text, conversation, sender, sinceAt, untilAt, order);
        MessageSearch.SortKey after = Cursors.decode(cursor, parts -> {
            if (!parts.get(0).equals(binding)) {
                throw new IllegalArgumentException("cursor of another query");
            }
            return new MessageSearch.SortKey(parts.get(1).isEmpty() ? null : Double.valueOf(parts.get(1)),
                    Long.parseLong(parts.get(2)), Long.parseLong(parts.get(3)));
        });
        if (after != null && (after.score() == null) != (order == MessageSearch.Order.RECENT)) {
            throw ApiException.invalid("cursor", "is not a cursor this API handed out");
        }
        MessageSearch.Query query = new MessageSearch.Query(text, caller.isIntegrator() ? null : caller.userId(),
                conversation, sender, sinceAt, untilAt, order, after, size + 1);
        return search.search(query)
                .onErrorMap(e -> !(e instanceof ApiException), SearchController::unavailable)
                .flatMap(found -> jdbc.call(() -> page(found, size, binding)));
    }

    /** Drops hits whose message is gone from PostgreSQL; the cursor still continues after the last hit looked at. */
    private SearchPage page(List<MessageSearch.Found> found, int size, String binding) {
        List<MessageSearch.Found> page = found.subList(0, Math.min(size, found.size()));
        Set<Long> existing = history.existing(page.stream().map(MessageSearch.Found::msgId).toList());
        List<SearchHit> hits = page.stream().filter(f -> existing.contains(f.msgId()))
                .map(f -> new SearchHit(f.messageId(), f.conversationId(), f.seq(), f.from(), f.createdAt(), f.snippet()))
                .toList();
        String next = null;
        if (found.size() > size) {
            MessageSearch.SortKey last = page.get(page.size() - 1).sortKey();
            next = Cursors.encode(binding, last.score() == null ? "" : last.score().toString(),
                    Long.toString(last.createdAt()), Long.toString(last.msgId()));
        }
        return new SearchPage(hits, next);
    }

    private static MessageSearch.Order order(String sort) {
        if (sort == null || sort.isBlank() || sort.equalsIgnoreCase("relevance")) {
            return MessageSearch.Order.RELEVANCE;
        }
        if (sort.equalsIgnoreCase("recent")) {
            return MessageSearch.Order.RECENT;
        }
        throw ApiException.invalid("sort", "must be 'relevance' (the default) or 'recent'");
    }

    private static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "must be a UUID");
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be an RFC 3339 time, e.g. 2026-11-23T10:15:30Z");
        }
    }

    /** A short digest of the query a cursor belongs to. */
    private static String binding(String text, UUID conversation, UUID sender, Instant since, Instant until,
                                  MessageSearch.Order order) {
        String canonical = String.join("\n", text.toLowerCase(Locale.ROOT), Objects.toString(conversation),
                Objects.toString(sender), Objects.toString(since), Objects.toString(until), order.name());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException unavailable(Throwable e) {
        log.warn("Search failed, answering 503: {}", e.toString(), e);
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Search unavailable",
                "search is unavailable right now; try again shortly", List.of(), Duration.ofSeconds(5));
    }
}
