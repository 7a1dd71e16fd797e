package dev.adclicks.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The sink's counters. Inserted and duplicate events are counted only after their DB transaction
 * committed, dead-lettered records only after the broker's ack; failed batch attempts as they fail.
 */
@Component
public class SinkMetrics {

    private final Counter inserted;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Counter failedBatchAttempts;

    public SinkMetrics(MeterRegistry registry) {
        this.inserted = Counter.builder("sink.events.inserted")
                .description("Events stored for the first time")
                .register(registry);
        this.duplicates = Counter.builder("sink.events.duplicates")
                .description("Events whose clickId was already stored (a redelivery, a client's resend): normal, not an error")
                .register(registry);
        this.deadLettered = Counter.builder("sink.events.dead-lettered")
                .description("Records of ad-events that are not readable AdEvents, sent to ad-events.DLT")
                .register(registry);
        this.failedBatchAttempts = Counter.builder("sink.batches.failed-attempts")
                .description("Attempts to store a polled batch that failed (e.g. DB down); the batch is retried")
                .register(registry);
    }

    public void eventsInserted(int count) {
        inserted.increment(count);
    }

    public void duplicatesAbsorbed(int count) {
        duplicates.increment(count);
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void batchAttemptFailed() {
        failedBatchAttempts.increment();
    }

    public long duplicatesCount() {
        return (long) duplicates.count();
    }

    public long deadLetteredCount() {
        return (long) deadLettered.count();
    }
}
