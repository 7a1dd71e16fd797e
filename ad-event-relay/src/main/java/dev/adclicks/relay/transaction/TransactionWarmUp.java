package dev.adclicks.relay.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

/**
 * Before a relay joins its group, after its {@code initTransactions()}:
 * {@code relay.warm-up-transactions} transactions of {@value #EVENTS_PER_TRANSACTION} made-up
 * events each, sent and committed by the session's own transactional producer to
 * {@link Topics#RELAY_WARM_UP}, a topic no one reads. The first transactions of a new producer are its
 * slowest: the client's send, batching and transaction code runs interpreted until the JIT
 * compiles it, and the brokers it writes to are reached for the first time. Done here, that cost
 * is paid before the relay takes its partitions instead of by the first real clicks. (The metadata
 * of {@link Topics#AD_EVENTS}, not written here, is still fetched at the first real send. The
 * warm-up's transactions carry no consumed offsets: the relay is not yet a member of its group,
 * and offsets sent now would be the group's real ones.) With the sink's {@code WriterWarmUp}, the
 * benchmark's first minute on a fresh cluster had a p99 of 700-784 ms in three runs against 1,459
 * ms without the two in a run between the first two; after a restart 520-845 ms against 822 ms, no
 * gain established (docs/recovery.md#both-warm-ups-through-real-io-built-for-good).
 *
 * <p>The made-up events never reach {@link Topics#AD_EVENTS}: a warm-up transaction there, even an
 * aborted one, would sit in the log every reader and verifier of the events scans. A failure ends the
 * warm-up with a warning and the relay carries on: its open transaction, if any, is aborted, and a
 * producer the failure left unusable fails the session's first real transaction, after which a new
 * session starts as after any such error. The warm-up runs only in the relay's first session; the
 * new session, and any later one, skips it.
 *
 * <p>Hand-written for the same reason as {@link dev.adclicks.relay.processing.ProcessingWarmUp}: no
 * library warms an application's own path through its Kafka client.
 */
@Component
public class TransactionWarmUp {

    private static final Logger log = LoggerFactory.getLogger(TransactionWarmUp.class);

    /** Events per warm-up transaction: a poll's worth at a few hundred clicks a second. */
    static final int EVENTS_PER_TRANSACTION = 300;

    private final int transactions;

    public TransactionWarmUp(RelayProperties relay) {
        this.transactions = relay.warmUpTransactions();
    }

    /**
     * Runs the warm-up on {@code producer}, whose {@code initTransactions()} has returned; returns
     * how many transactions it committed (all of them, unless it failed).
     */
    public int run(KafkaProducer<String, byte[]> producer) {
        if (transactions == 0) {
            return 0;
        }
        long started = System.nanoTime();
        String adIdPrefix = "warm-up-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        int committed = 0;
        boolean open = false;
        try {
            for (int transaction = 0; transaction < transactions; transaction++) {
                producer.beginTransaction();
                open = true;
                Instant now = Instant.now();
                for (int i = 0; i < EVENTS_PER_TRANSACTION; i++) {
                    String adId = adIdPrefix + (i % 40); // keyed as real events are, so every partition gets some
                    AdEvent event = new AdEvent(UUID.randomUUID(), adId, "warm-up", "warm-up", now.minusMillis(i),
                            120_000L, now);
                    producer.send(new ProducerRecord<>(Topics.RELAY_WARM_UP, adId, PipelineJson.write(event)));
                }
                producer.flush();
                producer.commitTransaction();
                open = false;
                committed++;
            }
        }
        catch (RuntimeException e) {
            log.warn("Warm-up of the transactional path ended early, after {} transactions: {}", committed,
                    e.toString());
            if (open) {
                abortQuietly(producer);
            }
            return committed;
        }
        log.info("Warm-up: {} transactions of {} made-up events committed to {} in {} ms", committed,
                EVENTS_PER_TRANSACTION, Topics.RELAY_WARM_UP, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return committed;
    }

    private static void abortQuietly(KafkaProducer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
        }
        catch (RuntimeException e) {
            log.warn("Aborting the warm-up's transaction failed too; the session's first transaction will tell: {}",
                    e.toString());
        }
    }
}
