package io.chat4all.hub.simulator.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A validated Instagram Send API body ({@code POST /{ig-id}/messages} or {@code /me/messages}).
 *
 * @param recipientId the customer's Instagram-scoped id (IGSID)
 */
public record InstagramSend(String recipientId) implements SendRequest {

    static final int MAX_TEXT_BYTES = 1000;
    private static final List<String> ATTACHMENT_TYPES = List.of("image", "video", "audio", "file");
    private static final Pattern HTTP_URL = Pattern.compile("https?://\\S+", Pattern.CASE_INSENSITIVE);

    @Override
    public String recipient() {
        return recipientId;
    }

    /**
     * Validates the body the way the Send API does; text is limited to 1000 UTF-8 bytes.
     *
     * @throws GraphException 400 code 100 naming the first invalid parameter
     */
    public static InstagramSend parse(JsonNode body) {
        if (!body.isObject()) {
            throw GraphException.malformedBody(Channel.INSTAGRAM);
        }
        String recipientId = Json.string(body.path("recipient"), "id");
        if (recipientId == null || recipientId.isBlank()) {
            throw invalid("(#100) The parameter recipient is required");
        }
        JsonNode message = body.path("message");
        boolean hasText = Json.present(message, "text");
        boolean hasAttachment = Json.present(message, "attachment");
        if (!hasText && !hasAttachment) {
            throw invalid("(#100) Param message must contain either text or attachment");
        }
        if (hasText && hasAttachment) {
            throw invalid("(#100) Param message must contain only one of text or attachment");
        }
        if (hasText) {
            validateText(Json.string(message, "text"));
        } else {
            validateAttachment(message.path("attachment"));
        }
        return new InstagramSend(recipientId);
    }

    private static void validateText(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("(#100) Param message[text] must be a non-empty UTF-8 encoded string");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw invalid("(#100) Length of param message[text] must be less than or equal to " + MAX_TEXT_BYTES);
        }
    }

    private static void validateAttachment(JsonNode attachment) {
        String type = Json.string(attachment, "type");
        if (type == null || !ATTACHMENT_TYPES.contains(type)) {
            throw invalid("(#100) Param message[attachment][type] must be one of {image, video, audio, file} - got \""
                    + type + "\"");
        }
        JsonNode payload = attachment.path("payload");
        String url = Json.string(payload, "url");
        if (url == null && Json.string(payload, "attachment_id") == null) {
            throw invalid("(#100) The parameter message[attachment][payload][url] is required");
        }
        if (url != null && !HTTP_URL.matcher(url).matches()) {
            throw invalid("(#100) Param message[attachment][payload][url] must be a valid URL");
        }
    }

    private static GraphException invalid(String message) {
        return GraphException.invalidParameter(Channel.INSTAGRAM, message, null);
    }
}
