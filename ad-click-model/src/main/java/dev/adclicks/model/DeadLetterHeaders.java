package dev.adclicks.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead-letter records: the original key, value and headers, plus where the record came from and
 * why it could not be processed. Header names and encodings are spring-kafka's
 * ({@code KafkaHeaders.DLT_*}; partition a 4-byte and offset an 8-byte big-endian number, the rest
 * UTF-8), so tools that understand its dead-letter topics understand ours.
 */
public final class DeadLetterHeaders {

    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

    private DeadLetterHeaders() {
    }

    /** The dead letter of {@code record}, for {@code deadLetterTopic}. */
    public static ProducerRecord<String, byte[]> deadLetter(String deadLetterTopic, ConsumerRecord<String, byte[]> record,
            Throwable error) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array());
        headers.add(ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
        headers.add(EXCEPTION_FQCN, utf8(error.getClass().getName()));
        headers.add(EXCEPTION_MESSAGE, utf8(String.valueOf(error.getMessage())));
        return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
