package dev.adclicks.sink.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.adclicks.model.AdEvent;
import dev.adclicks.sink.SinkProperties;
import dev.adclicks.sink.store.EventWriter;

/**
 * Before the listener starts: {@code sink.warm-up-batches} batches of made-up events written by
 * the sink's {@link EventWriter}, each in a database transaction that is then rolled back. The
 * writer runs inside it as it runs for a real batch (it joins the transaction), so its statements
 * reach the database: the JIT compiles the JDBC path, the driver prepares the statements of
 * several batch sizes (each size is a statement of its own), and the database runs them, before
 * the first real events wait for that. {@link ReaderWarmUp} warms the reading, in memory; this
 * warms the rest of the per-event work. Before it, restarting only the two sinks on a warm
 * cluster, the relays and the producer warm, the benchmark's first minute had a p99 of 400 ms
 * (docs/recovery.md#warm-up). Alone it showed no gain; with the relay's {@code TransactionWarmUp}
 * the first minute on a fresh cluster had a p99 of 700-784 ms in three runs against 1,459 ms
 * without the two in a run between the first two; after a restart 520-845 ms against 822 ms, no
 * gain established (docs/recovery.md#both-warm-ups-through-real-io-built-for-good).
 *
 * <p>Nothing is stored or counted: every transaction is rolled back, and a sink that dies during
 * the warm-up leaves an open transaction that the database rolls back when the connection drops.
 * The made-up events carry adIds of this warm-up's own ({@code warm-up-<random>-<n>}), so two
 * sinks warming up at once, or a sink warming up while another stores real events, do not wait on
 * each other's rows of {@code ad_daily_stats}. A failure (the database down at start) ends the
 * warm-up with a warning and the sink starts anyway: its listener retries against the database as
 * it does for any batch.
 *
 * <p>Hand-written for the same reason as {@link ReaderWarmUp}: no library warms an application's
 * own code.
 */
@Component
public class WriterWarmUp extends BeforeListenersWarmUp {

    private static final Logger log = LoggerFactory.getLogger(WriterWarmUp.class);

    /** Events in the first batch; each next one has {@link #SIZE_STEP} more, up to a statement's rows, then again. */
    private static final int MIN_SIZE = 50;
    private static final int SIZE_STEP = 37;

    private final ObjectProvider<EventWriter> writer;
    private final ObjectProvider<PlatformTransactionManager> transactions;
    private final int batches;
    /** sink.rows-per-statement: the largest statement the writer makes. */
    private final int maxSize;

    public WriterWarmUp(ObjectProvider<EventWriter> writer, ObjectProvider<PlatformTransactionManager> transactions,
            SinkProperties sink) {
        this.writer = writer;
        this.transactions = transactions;
        this.batches = sink.warmUpBatches();
        this.maxSize = Math.max(MIN_SIZE, sink.rowsPerStatement());
    }

    /**
     * Writes the made-up batches, each rolled back; returns how many events the writer inserted in
     * them before their rollbacks (every event of every batch, unless the warm-up failed).
     */
    @Override
    public int run() {
        EventWriter eventWriter = writer.getIfAvailable();
        PlatformTransactionManager manager = transactions.getIfAvailable();
        if (batches == 0 || eventWriter == null || manager == null) {
            return 0;
        }
        TransactionTemplate template = new TransactionTemplate(manager);
        String adIdPrefix = "warm-up-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        long started = System.nanoTime();
        int inserted = 0;
        try {
            for (int batch = 0; batch < batches; batch++) {
                List<AdEvent> events = madeUpEvents(adIdPrefix, MIN_SIZE + (batch * SIZE_STEP) % (maxSize - MIN_SIZE + 1));
                Integer written = template.execute(status -> {
                    int rows = eventWriter.write(events).inserted();
                    status.setRollbackOnly(); // the point: nothing of the warm-up is ever committed
                    return rows;
                });
                inserted += written == null ? 0 : written;
            }
        }
        catch (RuntimeException e) {
            log.warn("Warm-up of the database path ended early, after {} events: {}", inserted, e.toString());
            return inserted;
        }
        log.info("Warm-up: {} made-up events written in {} transactions, all rolled back, in {} ms", inserted,
                batches, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return inserted;
    }

    private static List<AdEvent> madeUpEvents(String adIdPrefix, int size) {
        List<AdEvent> events = new ArrayList<>(size);
        Instant now = Instant.now();
        for (int i = 0; i < size; i++) {
            events.add(new AdEvent(UUID.randomUUID(), adIdPrefix + (i % 40), "warm-up", "warm-up", now.minusMillis(i),
                    120_000L, now));
        }
        return events;
    }
}
