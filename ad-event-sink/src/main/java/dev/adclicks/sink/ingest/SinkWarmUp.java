package dev.adclicks.sink.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.sink.SinkProperties;
import dev.adclicks.sink.store.EventWriter;

/**
 * Before the listener starts, the sink's per-event work on made-up events, so the JIT has compiled
 * it when the first real ones arrive instead of while they wait:
 *
 * <ol>
 * <li>{@code sink.warm-up-events} events read by {@link AdEventReader}, in memory (a third of the
 * listener's time per event, docs/performance.md);</li>
 * <li>{@code sink.warm-up-writes} of them stored by the pipeline's {@link EventWriter}, in batches
 * of {@code sink.rows-per-statement}, each in a database transaction that is rolled back: the
 * statements, the JDBC driver's binding and reading, as for a real batch. A rolled-back transaction
 * leaves no row and no counter behind; it does use up {@code click_event.id} values (InnoDB does
 * not give back auto-increment values), so ids jump by that many per start. Its locks are on
 * made-up keys ({@code warm-up-*} ads, random clickIds) and last one batch.</li>
 * </ol>
 *
 * Nothing is counted in the sink's meters. A write that fails (the database not reachable) ends the
 * warm-up with a warning, not the start: the listener's retries handle an outage, the warm-up only
 * saves time. Measured in docs/recovery.md#warm-up.
 *
 * <p>A {@link SmartLifecycle} of an earlier phase than the listener containers, so its start
 * finishes before theirs begins. Hand-written for the same reason as the relay's
 * {@code ProcessingWarmUp}: no library warms an application's own code.
 */
@Component
public class SinkWarmUp implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SinkWarmUp.class);

    private final AdEventReader reader;
    private final EventWriter writer;
    private final TransactionTemplate transactions;
    private final int events;
    private final int writes;
    private final int batch;
    private volatile boolean running;

    public SinkWarmUp(AdEventReader reader, EventWriter writer, TransactionTemplate transactions,
            SinkProperties sink) {
        this.reader = reader;
        this.writer = writer;
        this.transactions = transactions;
        this.events = sink.warmUpEvents();
        this.writes = Math.min(sink.warmUpWrites(), sink.warmUpEvents());
        this.batch = sink.rowsPerStatement();
    }

    /** Reads the made-up events, then writes and rolls back the first {@code writes}; returns the events read. */
    public int run() {
        long started = System.nanoTime();
        int read = 0;
        long costMicros = 0;
        List<AdEvent> toWrite = new ArrayList<>(batch);
        int written = 0;
        boolean refused = false;
        for (int i = 0; i < events; i++) {
            Instant now = Instant.now();
            byte[] json = PipelineJson.write(new AdEvent(UUID.randomUUID(), "warm-up-" + (i % 40), "warm-up",
                    "warm-up", now.minusMillis(i % 60_000), 120_000L, now));
            AdEvent event = reader.read(json);
            costMicros += event.costMicros(); // used, so the JIT cannot drop it
            read++;
            if (written < writes && !refused) {
                toWrite.add(event);
                if (toWrite.size() == batch || written + toWrite.size() == writes) {
                    refused = !writeAndRollBack(toWrite); // refused: no more writes, the reading goes on
                    written += refused ? 0 : toWrite.size();
                    toWrite.clear();
                }
            }
        }
        if (events > 0) {
            log.info("Warm-up: {} made-up events read ({} micros), {} of them written and rolled back, in {} ms",
                    read, costMicros, written, Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        return read;
    }

    /** Stores {@code batch} in a transaction that is then rolled back; false if the database refused. */
    private boolean writeAndRollBack(List<AdEvent> batch) {
        try {
            transactions.executeWithoutResult(status -> {
                status.setRollbackOnly();
                writer.write(batch);
            });
            return true;
        }
        catch (DataAccessException e) {
            log.warn("Warm-up: writing made-up events failed ({}); the listener starts without the write warm-up",
                    e.getMostSpecificCause().toString());
            return false;
        }
    }

    @Override
    public void start() {
        run();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
    }
}
