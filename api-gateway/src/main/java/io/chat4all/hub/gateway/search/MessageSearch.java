package io.chat4all.hub.gateway.search;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.HighlighterEncoder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chat4all.hub.contracts.search.MessageDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Full-text search over the message index (written by indexer). Access control is part of the
 * query itself — a filter on the participants of each message — so nothing the caller may not see
 * is ever scored, counted, highlighted or returned. Pages with {@code search_after}, never deep
 * {@code from}; the last sort key is always {@code msg_id}, unique, so pages never overlap.
 */
@Component
public class MessageSearch {

    /** How results are ordered. */
    public enum Order { RELEVANCE, RECENT }

    /**
     * @param participant only messages this user sent or received; null = any (integrators)
     * @param after where the previous page ended; null on the first page
     */
    public record Query(String text, UUID participant, UUID conversationId, UUID from, Instant since, Instant until,
                        Order order, SortKey after, int size) {
    }

    /**
     * A hit's position in the order: its score (relevance order only), creation time (epoch
     * milliseconds) and {@code msg_id}, the unique tiebreaker. Kept exact: a 63-bit id does not
     * survive a trip through a double.
     */
    public record SortKey(Double score, long createdAt, long msgId) {

        List<FieldValue> values() {
            List<FieldValue> values = new ArrayList<>(3);
            if (score != null) {
                values.add(FieldValue.of(score));
            }
            values.add(FieldValue.of(createdAt));
            values.add(FieldValue.of(msgId));
            return values;
        }

        static SortKey of(List<FieldValue> values) {
            int n = values.size();
            Double score = n == 3 ? (values.get(0).isLong() ? (double) values.get(0).longValue() : values.get(0).doubleValue())
                    : null;
            return new SortKey(score, values.get(n - 2).longValue(), values.get(n - 1).longValue());
        }
    }

    /** One hit: what the response shows, and where to continue after it. */
    public record Found(UUID messageId, long msgId, UUID conversationId, long seq, UUID from, Instant createdAt,
                        String snippet, SortKey sortKey) {
    }

    private static final int SNIPPET_CHARS = 160;

    private final ElasticsearchAsyncClient client;
    private final String alias;

    MessageSearch(ElasticsearchAsyncClient client, @Value("${hub.gateway.search.index-alias:messages}") String alias) {
        this.client = client;
        this.alias = alias;
    }

    /** The hits of one page; an index that does not exist yet has none. */
    public Mono<List<Found>> search(Query query) {
        SearchRequest request = request(query);
        return Mono.fromFuture(() -> client.search(request, ObjectNode.class))
                .map(MessageSearch::hits)
                .onErrorResume(e -> isMissingIndex(e), e -> Mono.just(List.of()));
    }

    private SearchRequest request(Query query) {
        List<co.elastic.clients.elasticsearch._types.query_dsl.Query> filters = new ArrayList<>();
        if (query.participant() != null) {
            filters.add(term(MessageDocument.PARTICIPANTS, query.participant().toString()));
        }
        if (query.conversationId() != null) {
            filters.add(term(MessageDocument.CONVERSATION_ID, query.conversationId().toString()));
        }
        if (query.from() != null) {
            filters.add(term(MessageDocument.SENDER_ID, query.from().toString()));
        }
        if (query.since() != null || query.until() != null) {
            filters.add(co.elastic.clients.elasticsearch._types.query_dsl.Query.of(q -> q.range(r -> r.untyped(u -> {
                u.field(MessageDocument.CREATED_AT);
                if (query.since() != null) {
                    u.gte(JsonData.of(query.since().toString()));
                }
                if (query.until() != null) {
                    u.lt(JsonData.of(query.until().toString()));
                }
                return u;
            }))));
        }
        return SearchRequest.of(s -> {
            s.index(alias).ignoreUnavailable(true).allowNoIndices(true).trackTotalHits(t -> t.enabled(false))
                    .size(query.size())
                    .source(src -> src.filter(f -> f.includes(MessageDocument.MESSAGE_ID, MessageDocument.MSG_ID,
                            MessageDocument.CONVERSATION_ID, MessageDocument.SEQ, MessageDocument.SENDER_ID,
                            MessageDocument.CREATED_AT, MessageDocument.TEXT)))
                    .query(q -> q.bool(b -> b.filter(filters)
                            .must(m -> m.match(t -> t.field(MessageDocument.TEXT).query(query.text()).operator(Operator.And)))))
                    .highlight(h -> h.encoder(HighlighterEncoder.Html).preTags("<em>").postTags("</em>")
                            .fields(MessageDocument.TEXT, f -> f.numberOfFragments(1).fragmentSize(SNIPPET_CHARS)));
            if (query.order() == Order.RELEVANCE) {
                s.sort(o -> o.score(sc -> sc.order(SortOrder.Desc)));
            }
            s.sort(o -> o.field(f -> f.field(MessageDocument.CREATED_AT).order(SortOrder.Desc)))
                    .sort(o -> o.field(f -> f.field(MessageDocument.MSG_ID).order(SortOrder.Desc)));
            if (query.after() != null) {
                s.searchAfter(query.after().values());
            }
            return s;
        });
    }

    private static co.elastic.clients.elasticsearch._types.query_dsl.Query term(String field, String value) {
        return co.elastic.clients.elasticsearch._types.query_dsl.Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    private static List<Found> hits(SearchResponse<ObjectNode> response) {
        List<Found> found = new ArrayList<>();
        for (Hit<ObjectNode> hit : response.hits().hits()) {
            ObjectNode doc = hit.source();
            if (doc == null) {
                continue;
            }
            List<String> fragments = hit.highlight().getOrDefault(MessageDocument.TEXT, List.of());
            String snippet = fragments.isEmpty() ? plainSnippet(doc.path(MessageDocument.TEXT).asText("")) : fragments.get(0);
            found.add(new Found(UUID.fromString(doc.path(MessageDocument.MESSAGE_ID).asText()),
                    doc.path(MessageDocument.MSG_ID).asLong(),
                    UUID.fromString(doc.path(MessageDocument.CONVERSATION_ID).asText()),
                    doc.path(MessageDocument.SEQ).asLong(),
                    UUID.fromString(doc.path(MessageDocument.SENDER_ID).asText()),
                    Instant.parse(doc.path(MessageDocument.CREATED_AT).asText()),
                    snippet,
                    SortKey.of(hit.sort())));
        }
        return found;
    }

    private static String plainSnippet(String text) {
        String escaped = text.length() > SNIPPET_CHARS ? text.substring(0, SNIPPET_CHARS) + "…" : text;
        return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#x27;");
    }

    private static boolean isMissingIndex(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof ElasticsearchException es && "index_not_found_exception".equals(es.error().type());
    }
}
