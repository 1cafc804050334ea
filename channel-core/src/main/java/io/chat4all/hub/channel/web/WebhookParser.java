package io.chat4all.hub.channel.web;

import tools.jackson.databind.JsonNode;

/** Reads one provider's webhook envelope; throws {@code IllegalArgumentException} for one it does not recognise. */
@FunctionalInterface
public interface WebhookParser {

    WebhookCallback parse(JsonNode envelope);
}
