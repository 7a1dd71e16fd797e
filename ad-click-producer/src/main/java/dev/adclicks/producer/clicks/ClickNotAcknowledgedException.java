package dev.adclicks.producer.clicks;

import java.time.Duration;
import java.util.UUID;

/** The broker did not acknowledge a click in time; answered with 503. The click may still be written. */
class ClickNotAcknowledgedException extends RuntimeException {

    private final UUID clickId;
    private final FailureReason reason;

    ClickNotAcknowledgedException(UUID clickId, FailureReason reason, Duration ackTimeout, Throwable cause) {
        super("Kafka did not acknowledge click " + clickId + " within " + ackTimeout.toMillis() + " ms ("
                + reason.tag() + ")", cause);
        this.clickId = clickId;
        this.reason = reason;
    }

    UUID clickId() {
        return clickId;
    }

    FailureReason reason() {
        return reason;
    }
}
