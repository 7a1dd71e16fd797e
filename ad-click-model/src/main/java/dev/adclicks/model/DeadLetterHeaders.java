package dev.adclicks.model;

/**
 * Headers on dead-letter records. The names are spring-kafka's
 * ({@code KafkaHeaders.DLT_*}), so tools that understand its dead-letter topics understand ours.
 */
public final class DeadLetterHeaders {

    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

    private DeadLetterHeaders() {
    }
}
