package io.chat4all.hub.indexer.index;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportOptions;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Completes asynchronous requests on a thread of its own instead of the HTTP client's I/O thread.
 *
 * <p>Why: {@code BulkIngester} sends a request while holding its lock, and the REST client can fail
 * that request (connection refused while Elasticsearch is down) on its I/O thread while holding
 * its connection-pool lock; the ingester's completion handler then needs the ingester's lock.
 * Two threads, two locks, opposite order: the indexer hung exactly when Elasticsearch went away.
 * Completing elsewhere breaks the cycle. Closing it does not close the shared transport.
 */
public final class OffloadingTransport implements ElasticsearchTransport {

    private final ElasticsearchTransport delegate;
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "es-bulk-completions");
        thread.setDaemon(true);
        return thread;
    });

    public OffloadingTransport(ElasticsearchTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public <RequestT, ResponseT, ErrorT> ResponseT performRequest(RequestT request,
            Endpoint<RequestT, ResponseT, ErrorT> endpoint, TransportOptions options) throws IOException {
        return delegate.performRequest(request, endpoint, options);
    }

    @Override
    public <RequestT, ResponseT, ErrorT> CompletableFuture<ResponseT> performRequestAsync(RequestT request,
            Endpoint<RequestT, ResponseT, ErrorT> endpoint, TransportOptions options) {
        CompletableFuture<ResponseT> result = new CompletableFuture<>();
        CompletableFuture<ResponseT> sent;
        try {
            sent = delegate.performRequestAsync(request, endpoint, options);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenCompleteAsync((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }, completions);
        return result;
    }

    @Override
    public JsonpMapper jsonpMapper() {
        return delegate.jsonpMapper();
    }

    @Override
    public TransportOptions options() {
        return delegate.options();
    }

    @Override
    public void close() {
        completions.shutdown();
    }
}
