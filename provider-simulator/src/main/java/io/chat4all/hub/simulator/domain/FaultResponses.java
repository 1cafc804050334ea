package io.chat4all.hub.simulator.domain;

import org.springframework.http.HttpStatus;

/** The error answers Meta gives for the failures a fault simulates. */
public final class FaultResponses {

    static final String UNDELIVERABLE_DETAILS = "Unable to deliver message. Reasons can include: the recipient phone "
            + "number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service and "
            + "Privacy Policy; the recipient is using an old WhatsApp version.";

    private FaultResponses() {
    }

    /** The answer to a send a {@code rate_limit}, {@code server_error} or {@code permanent} fault fired on. */
    public static GraphException of(Channel channel, FaultKind kind) {
        return channel == Channel.WHATSAPP ? whatsapp(kind) : instagram(kind);
    }

    private static GraphException whatsapp(FaultKind kind) {
        switch (kind) {
            case RATE_LIMIT:
                return new GraphException(HttpStatus.TOO_MANY_REQUESTS, GraphError.whatsapp(130429,
                        "(#130429) Rate limit hit", "Cloud API message throughput has been reached."));
            case SERVER_ERROR:
                return new GraphException(HttpStatus.INTERNAL_SERVER_ERROR, GraphError.whatsapp(131000,
                        "(#131000) Something went wrong", "Something went wrong. Please retry the request."));
            case PERMANENT:
                return new GraphException(HttpStatus.BAD_REQUEST, GraphError.whatsapp(131026,
                        "(#131026) Message Undeliverable", UNDELIVERABLE_DETAILS));
            default:
                throw new IllegalArgumentException(kind + " is not answered with an error");
        }
    }

    private static GraphException instagram(FaultKind kind) {
        switch (kind) {
            case RATE_LIMIT:
                return new GraphException(HttpStatus.TOO_MANY_REQUESTS, GraphError.instagram(4, null,
                        "(#4) Application request limit reached"));
            case SERVER_ERROR:
                return new GraphException(HttpStatus.INTERNAL_SERVER_ERROR, GraphError.instagram(1, null,
                        "An unknown error has occurred."));
            case PERMANENT:
                return new GraphException(HttpStatus.BAD_REQUEST, GraphError.instagram(100, 2018001,
                        "(#100) No matching user found"));
            default:
                throw new IllegalArgumentException(kind + " is not answered with an error");
        }
    }
}
