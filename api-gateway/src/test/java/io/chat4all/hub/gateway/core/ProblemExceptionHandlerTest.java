package io.chat4all.hub.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.errors.ServerException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.netty.channel.AbortedException;
import tools.jackson.databind.json.JsonMapper;

/** How failures of the engines reach a client: 503 with Retry-After, never a 500 or a stack trace. */
class ProblemExceptionHandlerTest {

    private final ProblemExceptionHandler handler = new ProblemExceptionHandler(new Problems(JsonMapper.builder().build()));

    @Test
    void shouldAnswer503WithRetryAfterWhenAnEngineIsAway() {
        List<Throwable> outages = List.of(
                new CannotGetJdbcConnectionException("no connection", new SQLException("Connection refused", "08001")),
                new RuntimeException(new SQLTransientConnectionException("HikariPool-1 - Connection is not available")),
                new RuntimeException(new SQLException("terminating connection due to administrator command", "57P01")),
                new IllegalStateException("S3 read failed", new ConnectException("Connection refused")),
                new IllegalStateException(new ServerException("S3 answered 503", 503, "trace")),
                new RejectedExecutionException("jdbc queue full"));
        for (Throwable outage : outages) {
            MockServerWebExchange exchange = exchange();

            handler.handle(exchange, outage).block();

            assertThat(exchange.getResponse().getStatusCode().value()).as(outage.toString()).isEqualTo(503);
            assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
            assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"status\":503")
                    .doesNotContain("Exception").doesNotContain("Connection refused");
        }
    }

    @Test
    void shouldStillAnswer500ForABugWithoutSayingWhat() {
        MockServerWebExchange exchange = exchange();

        handler.handle(exchange, new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint \"users_pkey\"", "23505"))).block();

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(500);
        assertThat(exchange.getResponse().getBodyAsString().block()).doesNotContain("users_pkey");
    }

    @Test
    void shouldNotAnswerAClientThatWentAwayNorCallItAnError() {
        MockServerWebExchange exchange = exchange();

        handler.handle(exchange, new IllegalStateException(new AbortedException("Connection has been closed BEFORE send"))).block();

        assertThat(exchange.getResponse().getStatusCode()).isNull();
        assertThat(exchange.getResponse().isCommitted()).isFalse();
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/v1/conversations"));
    }
}
