package dev.adclicks.observability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.micrometer.KafkaRecordSenderContext;
import org.springframework.kafka.support.micrometer.KafkaTemplateObservation;

/**
 * Kafka tracing for code that does not go through a listener container or a {@code KafkaTemplate}
 * observation: the relay's own poll loop, each record of the sink's batch listener (spring-kafka
 * observes record listeners only) and the producer's sends. The same observations and conventions
 * spring-kafka uses, so spans and {@code traceparent} headers look alike everywhere.
 *
 * <pre>
 *   receive(record, ...).observe(() -> {          // continues the trace in the record's traceparent;
 *       log.info(...);                             // logs carry its traceId
 *       send(output, ...).observe(() -> producer.send(output));   // traceparent written into output
 *   });
 * </pre>
 */
public final class KafkaObservations {

    private static final String[] TRACE_CONTEXT_HEADERS = { "traceparent", "tracestate" };

    private KafkaObservations() {
    }

    /** Around the handling of one consumed record: its trace (from its headers) becomes the current one. */
    public static Observation receive(ConsumerRecord<?, ?> record, String listenerId, String groupId,
            ObservationRegistry registry) {
        return KafkaListenerObservation.LISTENER_OBSERVATION.observation(null,
                KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
                // the cluster id supplier runs in the constructor: it must not block (no admin call)
                () -> new KafkaRecordReceiverContext(record, listenerId, listenerId, groupId, () -> null), registry);
    }

    /**
     * Without observations: the output record carries the input record's W3C trace context as it
     * came ({@code traceparent}, {@code tracestate}), so downstream continues the same trace.
     */
    public static void copyTraceContext(ConsumerRecord<?, ?> input, ProducerRecord<?, ?> output) {
        for (String name : TRACE_CONTEXT_HEADERS) {
            Header header = input.headers().lastHeader(name);
            if (header != null) {
                output.headers().remove(name).add(name, header.value());
            }
        }
    }

    /**
     * Without observations, on the producing side: the current trace context as W3C headers
     * ({@code traceparent}, {@code tracestate}), read once and added to any number of records, so
     * downstream continues the current trace (an HTTP request's) without a span per record. Empty
     * when nothing is being traced.
     */
    public static List<Header> currentTraceContext(Tracer tracer, Propagator propagator) {
        TraceContext context = tracer.currentTraceContext().context();
        if (context == null) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>(TRACE_CONTEXT_HEADERS.length);
        propagator.inject(context, headers,
                (carrier, name, value) -> carrier.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
        return List.copyOf(headers);
    }

    /** Around one send: when it starts, the current trace is written into the record's traceparent header. */
    public static Observation send(ProducerRecord<?, ?> record, String producerName, ObservationRegistry registry) {
        return KafkaTemplateObservation.TEMPLATE_OBSERVATION.observation(null,
                KafkaTemplateObservation.DefaultKafkaTemplateObservationConvention.INSTANCE,
                () -> new KafkaRecordSenderContext(record, producerName, () -> null), registry);
    }
}
