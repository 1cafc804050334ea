package io.chat4all.hub.gateway.messages;

import io.chat4all.hub.contracts.events.Channel;
import io.chat4all.hub.contracts.events.Payload;
import io.chat4all.hub.contracts.kafka.EventJson;
import io.chat4all.hub.gateway.core.ApiException;
import io.chat4all.hub.gateway.core.HubPrincipal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Validates a {@code POST /v1/messages} body field by field, so the 400 names every invalid field;
 * sizes over the limits are 413.
 */
final class MessageRequestParser {

    static final int MAX_TEXT_BYTES = 64 * 1024;
    static final int MAX_METADATA_BYTES = 4 * 1024;
    private static final Set<String> ENCRYPTION = Set.of("xsalsa20-poly1305", "aes-256-gcm", "chacha20-poly1305");

    private final List<ApiException.FieldProblem> problems = new ArrayList<>();

    private MessageRequestParser() {
    }

    static MessageRequest parse(JsonNode body, HubPrincipal caller) {
        return new MessageRequestParser().read(body, caller);
    }

    private MessageRequest read(JsonNode body, HubPrincipal caller) {
        if (body == null || !body.isObject()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Malformed request", "the body must be a JSON object");
        }
        UUID messageId = uuid(body, "message_id", true);
        UUID conversationId = uuid(body, "conversation_id", true);
        UUID from = uuid(body, "from", false);
        UUID sender = caller.userId();
        if (caller.isIntegrator()) {
            if (from == null && !body.hasNonNull("from")) {
                problems.add(new ApiException.FieldProblem("from", "is required with an API key (the user the message is from)"));
            }
            sender = from;
        } else if (from != null && !from.equals(caller.userId())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden", "users send as themselves; only API keys may set from");
        }
        Payload payload = payload(body.get("payload"));
        List<Channel> channels = channels(body.get("channels"));
        Map<String, Object> metadata = metadata(body.get("metadata"));
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", "the message has invalid fields", problems, null);
        }
        return new MessageRequest(messageId, conversationId, sender, payload, channels, metadata);
    }

    private UUID uuid(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(new ApiException.FieldProblem(field, "is required"));
            }
            return null;
        }
        try {
            return UUID.fromString(node.isString() ? node.asString() : "");
        } catch (IllegalArgumentException e) {
            problems.add(new ApiException.FieldProblem(field, "must be a UUID"));
            return null;
        }
    }

    /** WhatsApp's caption limit, the tightest of the channels. */
    private static final int MAX_CAPTION_BYTES = 1024;

    private Payload payload(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            problems.add(new ApiException.FieldProblem("payload", "is required: an object with a type"));
            return null;
        }
        String type = payload.path("type").asString("");
        switch (type) {
            case "text" -> {
                String text = payload.path("text").isString() ? payload.path("text").asString() : null;
                if (text == null || text.isBlank()) {
                    problems.add(new ApiException.FieldProblem("payload.text", "is required and must not be blank"));
                    return null;
                }
                if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                    throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Text too large",
                            "payload.text has more than " + MAX_TEXT_BYTES + " bytes (UTF-8)");
                }
                return new Payload.Text(text);
            }
            case "encrypted" -> {
                String ciphertext = base64(payload, "ciphertext");
                String nonce = base64(payload, "nonce");
                String alg = payload.path("alg").asString("");
                if (!ENCRYPTION.contains(alg)) {
                    problems.add(new ApiException.FieldProblem("payload.alg", "must be one of " + ENCRYPTION));
                }
                if (ciphertext != null && Base64.getDecoder().decode(ciphertext).length > MAX_TEXT_BYTES) {
                    throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Ciphertext too large",
                            "payload.ciphertext decodes to more than " + MAX_TEXT_BYTES + " bytes");
                }
                return new Payload.Encrypted(ciphertext, nonce, alg);
            }
            case "file" -> {
                String fileId = payload.path("file_id").isString() ? payload.path("file_id").asString() : "";
                try {
                    fileId = java.util.UUID.fromString(fileId).toString();
                } catch (IllegalArgumentException notAnId) {
                    problems.add(new ApiException.FieldProblem("payload.file_id", "is required: the id of an uploaded file"));
                    return null;
                }
                JsonNode caption = payload.path("caption");
                if (!caption.isMissingNode() && !caption.isNull() && !caption.isString()) {
                    problems.add(new ApiException.FieldProblem("payload.caption", "must be a string"));
                    return null;
                }
                String text = caption.isString() ? caption.asString() : null;
                if (text != null && text.getBytes(StandardCharsets.UTF_8).length > MAX_CAPTION_BYTES) {
                    problems.add(new ApiException.FieldProblem("payload.caption", "must be at most " + MAX_CAPTION_BYTES
                            + " bytes"));
                    return null;
                }
                return new Payload.File(fileId, text);
            }
            default -> {
                problems.add(new ApiException.FieldProblem("payload.type", "must be 'text', 'encrypted' or 'file'"));
                return null;
            }
        }
    }

    private String base64(JsonNode payload, String field) {
        String value = payload.path(field).isString() ? payload.path(field).asString() : null;
        if (value == null || value.isEmpty()) {
            problems.add(new ApiException.FieldProblem("payload." + field, "is required (base64)"));
            return null;
        }
        try {
            Base64.getDecoder().decode(value);
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(new ApiException.FieldProblem("payload." + field, "must be base64"));
            return null;
        }
    }

    private List<Channel> channels(JsonNode channels) {
        if (channels == null || channels.isNull()) {
            return List.of();
        }
        if (!channels.isArray()) {
            problems.add(new ApiException.FieldProblem("channels", "must be an array of channel names or [\"all\"]"));
            return List.of();
        }
        Set<Channel> chosen = EnumSet.noneOf(Channel.class);
        for (JsonNode channel : channels) {
            String name = channel.asString("");
            if (name.equals("all")) {
                chosen.addAll(EnumSet.allOf(Channel.class));
                continue;
            }
            try {
                chosen.add(Channel.fromWire(name));
            } catch (IllegalArgumentException e) {
                problems.add(new ApiException.FieldProblem("channels", "unknown channel '" + name + "'; known: whatsapp,"
                        + " instagram, all"));
            }
        }
        return List.copyOf(chosen);
    }

    private Map<String, Object> metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return Map.of();
        }
        if (!metadata.isObject()) {
            problems.add(new ApiException.FieldProblem("metadata", "must be a JSON object"));
            return Map.of();
        }
        byte[] bytes = EventJson.mapper().writeValueAsBytes(metadata);
        if (bytes.length > MAX_METADATA_BYTES) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Metadata too large",
                    "metadata has more than " + MAX_METADATA_BYTES + " bytes of JSON");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = EventJson.mapper().convertValue(metadata, LinkedHashMap.class);
        return map;
    }
}
