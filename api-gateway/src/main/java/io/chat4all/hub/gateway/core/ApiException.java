package io.chat4all.hub.gateway.core;

import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;

/** An error the API answers on purpose, rendered as problem+json. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldProblem> errors;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of(), null);
    }

    public ApiException(HttpStatus status, String title, String detail, List<FieldProblem> errors, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** One invalid field of a request. */
    public record FieldProblem(String field, String message) {
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", what + " does not exist or is not visible to you");
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", "the request has invalid fields",
                List.of(new FieldProblem(field, message)), null);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
