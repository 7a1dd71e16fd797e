package dev.adclicks.model;

import java.time.Instant;

import org.apache.kafka.common.serialization.Serializer;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.module.blackbird.BlackbirdModule;

/**
 * The one JSON format of every record in the pipeline: ISO-8601 instants, UUIDs as strings,
 * unknown properties ignored (a newer producer must not turn records into poison for an older
 * consumer), and no type headers, so any client in any language can read the topics.
 *
 * <p>Every record of the pipeline passes through here at least twice (the relay reads a click and writes
 * an event, the sink reads the event), so two things make it cheaper without changing the format:
 * {@link IsoInstantDeserializer} and {@link IsoInstantSerializer} read and write the pipeline's instants
 * without a {@code DateTimeFormatter}, and Jackson's Blackbird module reaches the records' components
 * through generated lambdas instead of reflection. {@code JsonCost} measures the two together against
 * {@link #withoutSpeedUps()} (docs/performance.md, "The pipeline's JSON, cheaper").
 */
public final class PipelineJson {

    private static final JsonMapper MAPPER = format()
            .addModule(new SimpleModule("pipeline-instants")
                    .addDeserializer(Instant.class, new IsoInstantDeserializer())
                    .addSerializer(Instant.class, new IsoInstantSerializer()))
            .addModule(new BlackbirdModule())
            .build();

    private PipelineJson() {
    }

    private static JsonMapper.Builder format() {
        return JsonMapper.builder()
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * The same format read and written by Jackson alone, without the two speed-ups: what the tests check
     * {@link #mapper()} against, and what the JSON cost benchmark ({@code JsonCost}) compares it with.
     */
    public static JsonMapper withoutSpeedUps() {
        return format().build();
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
