package io.chat4all.hub.contracts.kafka;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON dialect of the pipeline's events: snake_case fields, RFC 3339 instants, unknown
 * fields ignored (tolerant readers).
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventJson() {
    }

    /** The shared, immutable mapper (Jackson 3 mappers are immutable and thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
