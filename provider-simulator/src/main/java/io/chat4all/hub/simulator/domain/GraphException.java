package io.chat4all.hub.simulator.domain;

import org.springframework.http.HttpStatus;

/** A Graph API error answer: the HTTP status and Meta's error object. */
public final class GraphException extends RuntimeException {

    private final HttpStatus status;
    private final transient GraphError error;

    GraphException(HttpStatus status, GraphError error) {
        super(error.message(), null, false, false);
        this.status = status;
        this.error = error;
    }

    public HttpStatus status() {
        return status;
    }

    public GraphError error() {
        return error;
    }

    /** 401, code 190: the answer to a missing or wrong access token, on both APIs. */
    static GraphException invalidToken() {
        return new GraphException(HttpStatus.UNAUTHORIZED, new GraphError(
                "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190, null, null,
                Ids.fbtraceId()));
    }

    /** 400, code 100: an invalid or missing parameter. */
    static GraphException invalidParameter(Channel channel, String message, String details) {
        return new GraphException(HttpStatus.BAD_REQUEST, channel == Channel.WHATSAPP
                ? GraphError.whatsapp(100, message, details)
                : GraphError.instagram(100, null, message));
    }

    /** 400, code 100: the body is not a JSON object. */
    static GraphException malformedBody(Channel channel) {
        return invalidParameter(channel, "(#100) Invalid parameter", "The request body is not a valid JSON object.");
    }
}
