package dev.adclicks.model;

import org.apache.kafka.common.serialization.Serializer;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON format of every record in the pipeline: ISO-8601 instants, UUIDs as strings,
 * unknown properties ignored (a newer producer must not turn records into poison for an older
 * consumer), and no type headers, so any client in any language can read the topics.
 */
public final class PipelineJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private PipelineJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /**
     * Reads one record value.
     *
     * @throws tools.jackson.core.JacksonException when the bytes are not a {@code type}
     */
    public static <T> T read(byte[] json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /**
     * The Kafka serializer of this format. (Consumers read raw bytes and call {@link #read} themselves,
     * so that a record that is not JSON reaches them and is dead-lettered instead of failing in poll().)
     */
    public static <T> Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }
}
