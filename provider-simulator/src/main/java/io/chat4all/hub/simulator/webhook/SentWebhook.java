package io.chat4all.hub.simulator.webhook;

/**
 * A webhook sent on behalf of a customer.
 *
 * @param providerMessageId the wamid or mid of the customer's message
 * @param outcome           how the receiver answered the first attempt
 */
public record SentWebhook(String providerMessageId, WebhookOutcome outcome) {
}
