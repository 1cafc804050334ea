package io.chat4all.hub.gateway.core;

import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text the engines cannot hold is refused at the door, in every request: U+0000 (PostgreSQL's
 * {@code text} and {@code jsonb} refuse it, so a message carrying it once stalled storage) and
 * unpaired UTF-16 surrogates (no UTF-8 encoding exists for them). The {@link #module() Jackson
 * module} checks every string and every object key of every JSON body as it is read, typed
 * ({@code String} fields) or not ({@code JsonNode} bodies, metadata), and the failure names the
 * field; {@code SafeTextFilter} does the same for query parameters.
 */
public final class SafeText {

    private SafeText() {
    }

    /** Why {@code text} cannot be stored, or {@code null} if it can. */
    public static String problem(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "must not contain U+0000 (NUL)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return "must not contain an unpaired surrogate (invalid Unicode)";
                }
            } else if (Character.isLowSurrogate(c)) {
                return "must not contain an unpaired surrogate (invalid Unicode)";
            }
        }
        return null;
    }

    /** The module registered with the gateway's JSON mapper (a bean: Spring Boot adds it). */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("chat4all-safe-text");
        module.addDeserializer(String.class, new Strings());
        module.addDeserializer(JsonNode.class, new Trees());
        return module;
    }

    /** A request field holding text the engines cannot hold; mapped to 400 naming {@link #field()}. */
    public static final class UnsafeTextException extends DatabindException {

        private final String field;
        private final String problem;

        UnsafeTextException(JsonParser parser, String field, String problem) {
            super(parser, field + " " + problem);
            this.field = field;
            this.problem = problem;
        }

        public String field() {
            return field;
        }

        public String problem() {
            return problem;
        }
    }

    /** JSON pointer {@code /payload/text} as the field name the API uses: {@code payload.text}. */
    static String fieldName(String pointer) {
        String field = pointer.startsWith("/") ? pointer.substring(1) : pointer;
        return field.isEmpty() ? "body" : printable(field.replace('/', '.').replace("~1", "/").replace("~0", "~"));
    }

    /** {@code name} with what {@link #problem} refuses replaced by U+FFFD, fit to be echoed in an answer. */
    static String printable(String name) {
        if (problem(name) == null) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1));
            if (pair) {
                out.append(c).append(name.charAt(++i));
            } else {
                out.append(c == '\0' || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static final class Strings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            String problem = value == null ? null : problem(value);
            if (problem != null) {
                throw new UnsafeTextException(p, fieldName(p.streamReadContext().pathAsPointer().toString()), problem);
            }
            return value;
        }
    }

    private static final class Trees extends ValueDeserializer<JsonNode> {

        @SuppressWarnings("unchecked")
        private final ValueDeserializer<JsonNode> trees =
                (ValueDeserializer<JsonNode>) JsonNodeDeserializer.getDeserializer(JsonNode.class);

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) {
            String base = p.streamReadContext().pathAsPointer().toString();
            JsonNode tree = trees.deserialize(p, ctxt);
            check(p, tree, base);
            return tree;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return (JsonNode) trees.getNullValue(ctxt);
        }

        private static void check(JsonParser p, JsonNode node, String path) {
            if (node.isString()) {
                fail(p, path, problem(node.asString()));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    check(p, node.get(i), path + "/" + i);
                }
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    String child = path + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                    fail(p, child, problem(field.getKey()) == null ? null : "(the key) " + problem(field.getKey()));
                    check(p, field.getValue(), child);
                }
            }
        }

        private static void fail(JsonParser p, String path, String problem) {
            if (problem != null) {
                throw new UnsafeTextException(p, fieldName(path), problem);
            }
        }
    }
}
