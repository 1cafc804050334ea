package io.chat4all.hub.simulator.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code error} object of a Graph API error answer, as Meta writes it.
 *
 * @param message      {@code (#code) text}
 * @param type         always {@code OAuthException}, as Meta sends for these errors
 * @param code         Graph error code (100, 190, 130429, 131026, ...)
 * @param errorSubcode Instagram's refinement (2018001 = no matching user), absent otherwise
 * @param errorData    WhatsApp's {@code error_data}, absent on Instagram
 * @param fbtraceId    random trace id, different for every answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphError(String message, String type, int code, Integer errorSubcode, ErrorData errorData,
                         String fbtraceId) {

    /** The body Meta answers: {@code {"error": {...}}}. */
    public record Body(GraphError error) {
    }

    public record ErrorData(String messagingProduct, String details) {
    }

    static GraphError whatsapp(int code, String message, String details) {
        return new GraphError(message, "OAuthException", code, null, new ErrorData("whatsapp", details), Ids.fbtraceId());
    }

    static GraphError instagram(int code, Integer subcode, String message) {
        return new GraphError(message, "OAuthException", code, subcode, null, Ids.fbtraceId());
    }

    public Body body() {
        return new Body(this);
    }
}
