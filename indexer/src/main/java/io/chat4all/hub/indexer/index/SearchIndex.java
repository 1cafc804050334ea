package io.chat4all.hub.indexer.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import io.chat4all.hub.indexer.config.IndexerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index template every monthly message index is created from (explicit mapping, the text
 * analyzer, the alias). It is put before the first write and again after each restart, so a
 * changed mapping applies from the next monthly index on.
 */
public final class SearchIndex {

    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);

    private final ElasticsearchClient client;
    private final String alias;
    private final String templateJson;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile boolean templatePut;

    public SearchIndex(ElasticsearchClient client, String alias, IndexerProperties.Indexing indexing) {
        this.client = client;
        this.alias = alias;
        this.templateJson = render(alias, indexing);
    }

    static String render(String alias, IndexerProperties.Indexing indexing) {
        String template;
        try (InputStream in = SearchIndex.class.getResourceAsStream("/search/messages-template.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String filters = indexing.textFilters().stream().map(f -> "\"" + f.trim() + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
        return template.replace("${alias}", alias)
                .replace("${shards}", Integer.toString(indexing.shards()))
                .replace("${replicas}", Integer.toString(indexing.replicas()))
                .replace("${refresh_interval}", indexing.refreshInterval().toMillis() + "ms")
                .replace("${text_filters}", filters);
    }

    /**
     * Makes sure the template is in place (once per process) and each of {@code indices} exists,
     * created from it. Indices are created explicitly: a cluster may forbid automatic creation.
     */
    public void ensure(Collection<String> indices) throws IOException {
        if (!templatePut) {
            client.indices().putIndexTemplate(t -> t.name(alias).withJson(new StringReader(templateJson)));
            templatePut = true;
            log.info("index template {} in place: indices {}-yyyy.MM behind alias {}", alias, alias, alias);
        }
        for (String index : indices) {
            if (known.contains(index)) {
                continue;
            }
            if (!client.indices().exists(e -> e.index(index)).value()) {
                try {
                    client.indices().create(c -> c.index(index));
                    log.info("created index {} (alias {})", index, alias);
                } catch (ElasticsearchException e) {
                    if (!"resource_already_exists_exception".equals(e.error().type())) {
                        throw e;
                    }
                }
            }
            known.add(index);
        }
    }

    public String alias() {
        return alias;
    }
}
