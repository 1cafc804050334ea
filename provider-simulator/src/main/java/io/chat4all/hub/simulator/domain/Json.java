package io.chat4all.hub.simulator.domain;

import tools.jackson.databind.JsonNode;

/** Reading optional string members of a request body. */
final class Json {

    private Json() {
    }

    /** The member's string value; null when absent, null or not a string. */
    static String string(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : null;
    }

    static boolean present(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return !value.isMissingNode() && !value.isNull();
    }
}
