package io.chat4all.hub.simulator.webhook;

/**
 * How the receiver answered one webhook attempt.
 *
 * @param status its HTTP status; null when it could not be reached or did not answer in time
 * @param error  why there was no answer, else null
 * @param seq    the attempt's position in the webhook log (for replays)
 */
public record WebhookOutcome(Integer status, String error, long seq) {

    public boolean delivered() {
        return status != null && status >= 200 && status < 300;
    }
}
