package dev.adclicks.producer.clicks;

/** Why a click was not accepted; the {@code reason} tag of the {@code clicks.failed} counter. */
enum FailureReason {

    /** The request was rejected before anything was sent (bad JSON, failed validation, too large). */
    INVALID_REQUEST("invalid-request"),
    /** clicks.ack-timeout passed with the send still pending; the record may still be written. */
    ACK_TIMEOUT("ack-timeout"),
    /** The producer gave up itself: metadata not available within max.block.ms, or delivery.timeout.ms passed. */
    KAFKA_TIMEOUT("kafka-timeout"),
    /** The producer reported any other error. */
    KAFKA_ERROR("kafka-error"),
    /** Part of a batch that was not sent because an earlier click of it already found Kafka unreachable. */
    NOT_SENT("not-sent"),
    /** The request thread was interrupted (shutdown) while waiting. */
    INTERRUPTED("interrupted");

    private final String tag;

    FailureReason(String tag) {
        this.tag = tag;
    }

    String tag() {
        return tag;
    }
}
