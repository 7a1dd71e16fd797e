package dev.adclicks.sink.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.sink.SinkProperties;

/**
 * Before the listener starts: {@code sink.warm-up-events} made-up events read by
 * {@link AdEventReader}, in memory, so the JIT has compiled the reading of an event (a third of the
 * listener's time per event, docs/performance.md) when the first real ones arrive. The rest of the
 * per-event work ends in MariaDB, where made-up events must never be stored: {@link WriterWarmUp}
 * warms it in transactions it rolls back. In the
 * benchmark's first minute, with the relay's warm-up, this cut the p99 from the relay to the row
 * from 6.7 s to 3.8 s (docs/recovery.md#warm-up). Nothing is written or counted.
 *
 * <p>Runs before the listener containers start ({@link BeforeListenersWarmUp}). Hand-written for
 * the same reason as the relay's {@code ProcessingWarmUp}: no library warms an application's own
 * code.
 */
@Component
public class ReaderWarmUp extends BeforeListenersWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ReaderWarmUp.class);

    private final AdEventReader reader;
    private final int events;

    public ReaderWarmUp(AdEventReader reader, SinkProperties sink) {
        this.reader = reader;
        this.events = sink.warmUpEvents();
    }

    /** Reads the made-up events; returns how many were read as events (all of them). */
    @Override
    public int run() {
        long started = System.nanoTime();
        int read = 0;
        long costMicros = 0;
        for (int i = 0; i < events; i++) {
            Instant now = Instant.now();
            byte[] json = PipelineJson.write(new AdEvent(UUID.randomUUID(), "warm-up-" + (i % 40), "warm-up",
                    "warm-up", now.minusMillis(i % 60_000), 120_000L, now));
            costMicros += reader.read(json).costMicros(); // used, so the JIT cannot drop it
            read++;
        }
        if (events > 0) {
            log.info("Warm-up: {} made-up events read ({} micros) in {} ms", read, costMicros,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        return read;
    }
}
