package io.chat4all.hub.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates hostile requests for every operation of the gateway's OpenAPI document: wrong types,
 * missing and extra fields, huge and deeply nested JSON, text no engine can hold (U+0000, lone
 * surrogates, invalid UTF-8), absurd numbers, garbage and other users' ids in paths and queries,
 * forged and overlong credentials. Deterministic for a seed.
 */
final class HostileRequests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Who sends a request: a token (or none) and whether it is the outsider probing others' data. */
    record Caller(String name, String authorization, boolean outsider) {
    }

    /** One request to send. */
    record Probe(String operation, String method, String path, Map<String, String> headers, byte[] body,
                 Caller caller, String mutation) {
    }

    /** The ids of the victims' data the outsider must never reach. */
    record Victims(String conversationId, String messageId, String fileId, String jobId, UUID userId) {
    }

    private static final List<String> GARBAGE = List.of("not-a-uuid", "%00", "%ED%A0%80", "..%2F..%2Fetc%2Fpasswd",
            "%27%20OR%201%3D1--", "x".repeat(600), "-1", "9223372036854775808", "1e400", "%F0%9F%98%80", "null",
            "%7B%7D", "%20", "%C0%AF", "00000000-0000-0000-0000-000000000000");
    private static final List<String> TEXTS = List.of("\u0000", "a\u0000b", "\ud800", "x\udfff", "\ud83d\ude00",
            "\u202eRTL", "\ufeffBOM", "\uffff", "e\u0301", "<script>alert(1)</script>", "'; DROP TABLE users; --",
            "${jndi:ldap://127.0.0.1/x}", "%s%s%n", "\r\nX-Injected: 1", "");

    private final JsonNode openApi;
    private final Victims victims;
    private final List<Caller> callers;
    private final Random random;

    HostileRequests(JsonNode openApi, Victims victims, List<Caller> callers, long seed) {
        this.openApi = openApi;
        this.victims = victims;
        this.callers = callers;
        this.random = new Random(seed);
    }

    /** {@code perOperation} probes of every operation (but the event stream, probed apart). */
    List<Probe> generate(int perOperation) {
        List<Probe> probes = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").properties().iterator();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                // a stream that opens stays open until the client's timeout: fewer of those
                int count = path.getKey().equals("/v1/stream") ? Math.max(1, perOperation / 20) : perOperation;
                for (int i = 0; i < count; i++) {
                    probes.add(probe(method, path.getKey(), op.getValue(), i));
                }
            }
        }
        return probes;
    }

    private Probe probe(String method, String template, JsonNode operation, int i) {
        Caller caller = callers.get(random.nextInt(callers.size()));
        // signing out works as it should for a user's own token, and would leave the barrage (and the
        // canary) without its users: logout is probed with credentials that are not a user's session
        while (template.equals("/v1/auth/logout") && (caller.name().equals("member") || caller.outsider())) {
            caller = callers.get(random.nextInt(callers.size()));
        }
        String path = template;
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.path("name").asString();
            String in = parameter.path("in").asString();
            if (in.equals("path")) {
                path = path.replace("{" + name + "}", pathValue(name));
            } else if (in.equals("query") && random.nextInt(3) > 0) {
                query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(queryValue(name));
            }
        }
        if (random.nextInt(10) == 0) {
            query.append(query.length() == 0 ? "?" : "&").append("unexpected=").append(pick(GARBAGE));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (caller.authorization() != null) {
            headers.put("Authorization", caller.authorization());
        }
        byte[] body = null;
        String mutation = "none";
        if (!operation.path("requestBody").isMissingNode() || method.equals("POST")) {
            JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
            JsonNode base = template.equals("/v1/messages") ? messageBody() : example(schema, 0);
            mutation = MUTATIONS.get(i % MUTATIONS.size());
            body = mutate(base, mutation);
            headers.put("Content-Type", mutation.equals("text_plain") ? "text/plain" : "application/json");
        }
        if (random.nextInt(25) == 0) {
            headers.put("X-Overlong", "h".repeat(20_000));
            mutation = mutation + "+overlong_header";
        }
        return new Probe(method + " " + template, method, path + query, headers, body, caller, mutation);
    }

    private String pathValue(String name) {
        if (random.nextInt(2) == 0) {
            return pick(GARBAGE);
        }
        if (random.nextInt(3) == 0) {
            return UUID.randomUUID().toString();
        }
        return switch (name) {
            case "id" -> victims.conversationId();
            case "message_id" -> victims.messageId();
            case "file_id" -> victims.fileId();
            case "job_id" -> victims.jobId();
            default -> victims.userId().toString();
        };
    }

    private String queryValue(String name) {
        int roll = random.nextInt(4);
        if (roll == 0 && name.contains("conversation")) {
            return victims.conversationId();
        }
        if (roll == 1) {
            return java.net.URLEncoder.encode(pick(TEXTS), StandardCharsets.UTF_8);
        }
        return pick(GARBAGE);
    }

    static final List<String> MUTATIONS = List.of("valid", "drop_field", "wrong_type", "extra_field", "null_field",
            "nul_in_text", "lone_surrogate", "invalid_utf8", "huge_string", "deep_nesting", "huge_number",
            "negative_number", "top_level_array", "empty", "garbage", "text_plain", "duplicate_keys", "truncated",
            "hostile_text", "many_fields");

    private byte[] mutate(JsonNode base, String mutation) {
        JsonNode copy = base.deepCopy();
        ObjectNode object = copy.isObject() ? (ObjectNode) copy : NODES.objectNode();
        String field = object.isEmpty() ? "x" : pick(new ArrayList<>(object.propertyNames()));
        switch (mutation) {
            case "drop_field" -> object.remove(field);
            case "wrong_type" -> object.set(field, pick(List.of(NODES.numberNode(7), NODES.objectNode(),
                    NODES.arrayNode().add(1), NODES.booleanNode(true), NODES.stringNode("7"))));
            case "extra_field" -> object.put("unexpected_" + random.nextInt(100), "surplus");
            case "null_field" -> object.putNull(field);
            case "nul_in_text" -> setText(object, "before\u0000after");
            case "lone_surrogate" -> setText(object, "half \ud83d of an emoji");
            case "huge_string" -> setText(object, "z".repeat(300_000));
            case "huge_number" -> {
                return JSON.writeValueAsString(object).replaceFirst("\\}$", ",\"n\":1e400,\"m\":99999999999999999999999}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case "negative_number" -> object.put(field, -1);
            case "hostile_text" -> setText(object, pick(TEXTS));
            case "many_fields" -> {
                for (int k = 0; k < 2_000; k++) {
                    object.put("f" + k, k);
                }
            }
            case "invalid_utf8" -> {
                byte[] json = JSON.writeValueAsBytes(object);
                byte[] broken = new byte[json.length + 12];
                byte[] prefix = "{\"text\":\"".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(prefix, 0, broken, 0, prefix.length);
                broken[prefix.length] = (byte) 0xED;
                broken[prefix.length + 1] = (byte) 0xA0;
                broken[prefix.length + 2] = (byte) 0x80;
                broken[prefix.length + 3] = (byte) 0xC0;
                broken[prefix.length + 4] = '"';
                broken[prefix.length + 5] = '}';
                return java.util.Arrays.copyOf(broken, prefix.length + 6);
            }
            case "deep_nesting" -> {
                return ("{\"payload\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}").getBytes(StandardCharsets.UTF_8);
            }
            case "top_level_array" -> {
                return ("[" + JSON.writeValueAsString(object) + "]").getBytes(StandardCharsets.UTF_8);
            }
            case "empty" -> {
                return new byte[0];
            }
            case "garbage" -> {
                return "\u0000\u0001{{{not json".getBytes(StandardCharsets.UTF_8);
            }
            case "duplicate_keys" -> {
                String json = JSON.writeValueAsString(object);
                return json.replaceFirst("\\}$", (object.isEmpty() ? "" : ",") + "\"" + field + "\":\"again\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case "truncated" -> {
                String json = JSON.writeValueAsString(object);
                return json.substring(0, Math.max(1, json.length() / 2)).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                // valid, text_plain: the base as it is
            }
        }
        return JSON.writeValueAsBytes(object);
    }

    /** Puts {@code text} in a string field of the body, nested ones included (or adds one). */
    private void setText(ObjectNode object, String text) {
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (entry.getValue().isString()) {
                object.put(entry.getKey(), text);
                return;
            }
            if (entry.getValue().isObject()) {
                setText((ObjectNode) entry.getValue(), text);
                return;
            }
        }
        object.put("text", text);
    }

    /** A well-formed message from the caller into the victims' conversation (a cross-user write for the outsider). */
    private JsonNode messageBody() {
        ObjectNode body = NODES.objectNode();
        body.put("message_id", UUID.randomUUID().toString());
        body.put("conversation_id", victims.conversationId());
        ObjectNode payload = body.putObject("payload");
        payload.put("type", "text");
        payload.put("text", "hostile");
        body.putObject("metadata").put("k", "v");
        return body;
    }

    /** A plausible instance of {@code schema} (following {@code $ref}s into the components). */
    private JsonNode example(JsonNode schema, int depth) {
        if (depth > 6) {
            return NODES.nullNode();
        }
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asString().replace("#/components/schemas/", "");
            return example(openApi.path("components").path("schemas").path(name), depth + 1);
        }
        String type = schema.path("type").asString("object");
        switch (type) {
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(example(schema.path("items"), depth + 1));
                return array;
            }
            case "string" -> {
                if (schema.has("enum")) {
                    return schema.path("enum").get(0);
                }
                return NODES.stringNode("uuid".equals(schema.path("format").asString("")) ? victims.userId().toString()
                        : "value");
            }
            case "integer", "number" -> {
                return NODES.numberNode(1);
            }
            case "boolean" -> {
                return NODES.booleanNode(true);
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                    object.set(property.getKey(), example(property.getValue(), depth + 1));
                }
                return object;
            }
        }
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
