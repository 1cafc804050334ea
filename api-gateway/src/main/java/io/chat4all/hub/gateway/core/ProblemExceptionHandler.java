package io.chat4all.hub.gateway.core;

import io.chat4all.hub.autoconfigure.Fault;
import io.minio.errors.ServerException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerErrorException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * Every error of the gateway becomes problem+json, whatever raised it (a controller, the codecs,
 * routing, security). Bad input maps to a 4xx; an engine that is away to 503 with Retry-After;
 * only a bug is a 500, and even then without a stack trace in the response (it is logged).
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private static final Duration DEPENDENCY_RETRY_AFTER = Duration.ofSeconds(5);

    private final Problems problems;

    ProblemExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (hasCause(error, AbortedException.class)) {
            // The client went away before the answer (its timeout, a dropped connection): nobody to answer.
            log.debug("{} {}: the client closed the connection first", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath());
            return Mono.empty();
        }
        if (error instanceof ApiException api) {
            return problems.write(exchange, api);
        }
        if (error instanceof Quotas.QuotaExceededException quota) {
            return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests", quota.getMessage(), List.of(),
                    quota.retryAfter());
        }
        if (error instanceof WebExchangeBindException bind) {
            List<ApiException.FieldProblem> fields = bind.getFieldErrors().stream()
                    .map(f -> new ApiException.FieldProblem(snakeCase(f.getField()), f.getDefaultMessage())).toList();
            return problems.write(exchange, HttpStatus.BAD_REQUEST, "Invalid request", "the request has invalid fields",
                    fields, null);
        }
        SafeText.UnsafeTextException unsafe = cause(error, SafeText.UnsafeTextException.class);
        if (unsafe != null) {
            return problems.write(exchange, HttpStatus.BAD_REQUEST, "Invalid request", "the request has invalid fields",
                    List.of(new ApiException.FieldProblem(unsafe.field(), unsafe.problem())), null);
        }
        if (hasCause(error, DataBufferLimitException.class)) {
            return problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "Request too large",
                    "the request body is larger than this endpoint accepts", List.of(), null);
        }
        if (error instanceof UnsupportedMediaTypeStatusException) {
            return problems.write(exchange, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "send the body as application/json", List.of(), null);
        }
        if (error instanceof ServerWebInputException input) {
            String detail = hasCause(error, DecodingException.class) || input.getReason() == null
                    ? "the body is not valid JSON of the expected shape" : input.getReason();
            return problems.write(exchange, HttpStatus.BAD_REQUEST, "Malformed request", detail, List.of(), null);
        }
        if (error instanceof ServerErrorException missing && missing.getMethodParameter() != null
                && missing.getMethodParameter().hasParameterAnnotation(PathVariable.class)) {
            // WebFlux calls a path variable that converts to nothing (a blank id) a server error.
            String name = missing.getMethodParameter().getParameterAnnotation(PathVariable.class).value();
            return problems.write(exchange, HttpStatus.BAD_REQUEST, "Invalid request", "the path has an invalid id",
                    List.of(new ApiException.FieldProblem(name.isEmpty() ? String.valueOf(
                            missing.getMethodParameter().getParameterName()) : name, "is not a valid id")), null);
        }
        if (error instanceof ResponseStatusException status) {
            HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
            code = code == null ? HttpStatus.BAD_REQUEST : code;
            return problems.write(exchange, code, code.getReasonPhrase(),
                    status.getReason() == null ? code.getReasonPhrase() : status.getReason(), List.of(), null);
        }
        if (error instanceof AuthenticationException) {
            return problems.write(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized", "missing or invalid credentials",
                    List.of(), null);
        }
        if (error instanceof AccessDeniedException) {
            return problems.write(exchange, HttpStatus.FORBIDDEN, "Forbidden", "you may not do this", List.of(), null);
        }
        if (isDependencyOutage(error)) {
            log.warn("{} {} answered 503: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    Fault.of(error).reason());
            return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                    "a service the hub depends on is unavailable; retry later", List.of(), DEPENDENCY_RETRY_AFTER);
        }
        log.error("unexpected error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        return problems.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "the hub failed to handle this request; it has been logged", List.of(), null);
    }

    /**
     * PostgreSQL, Kafka, S3 or Elasticsearch away or overloaded (connection refused or lost, pool
     * exhausted, server shutting down, an S3 server error, a full work queue): nothing the client
     * did wrong, and worth a retry.
     */
    private static boolean isDependencyOutage(Throwable error) {
        return Fault.of(error).kind() == Fault.Kind.DEPENDENCY || hasCause(error, ServerException.class)
                || hasCause(error, RejectedExecutionException.class);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        return cause(error, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
