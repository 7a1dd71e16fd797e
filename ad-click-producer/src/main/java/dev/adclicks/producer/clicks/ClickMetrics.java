package dev.adclicks.producer.clicks;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code clicks.accepted}: clicks the broker acknowledged (answered 202, or listed as
 * accepted in a batch's 503).
 * {@code clicks.failed{reason}}: clicks not acknowledged, per {@link FailureReason}; for
 * {@code invalid-request} one per rejected request, since a malformed body has no countable clicks.
 */
@Component
class ClickMetrics {

    private final Counter accepted;
    private final Map<FailureReason, Counter> failed = new EnumMap<>(FailureReason.class);

    ClickMetrics(MeterRegistry registry) {
        this.accepted = Counter.builder("clicks.accepted")
                .description("Clicks acknowledged by the Kafka broker")
                .register(registry);
        // registered up front so every reason shows (as 0) before its first failure
        for (FailureReason reason : FailureReason.values()) {
            failed.put(reason, Counter.builder("clicks.failed")
                    .description("Clicks not acknowledged, by reason")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    void accepted(int clicks) {
        accepted.increment(clicks);
    }

    void failed(FailureReason reason, int clicks) {
        failed.get(reason).increment(clicks);
    }
}
