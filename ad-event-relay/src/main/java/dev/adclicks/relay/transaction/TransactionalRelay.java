package dev.adclicks.relay.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;

import dev.adclicks.delivery.DeliverySemantics;
import dev.adclicks.model.Topics;
import dev.adclicks.relay.processing.ProcessingWarmUp;
import dev.adclicks.relay.processing.RelayStep;
import dev.adclicks.relay.transaction.RelayErrors.Reaction;
import dev.adclicks.relay.transaction.RelayPhases.Phase;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Exactly-once read-process-write, top to bottom, after Kafka's own
 * {@code ExactlyOnceMessageProcessor}. For every polled batch of {@code ad-clicks}:
 *
 * <pre>
 *   beginTransaction
 *     send  ad-events            one priced event per valid click
 *     send  ad-clicks-rejected   invalid clicks, with the reason
 *     send  ad-clicks.DLT        records that are not clicks at all, with the error
 *     sendOffsetsToTransaction(next offsets, consumer.groupMetadata())
 *     flush                      every output in the log, uncommitted
 *   commitTransaction            outputs and input offsets become visible together, or neither
 * </pre>
 *
 * Reactions, by the exception categories of kafka-clients 4.x ({@link RelayErrors}):
 * <ul>
 * <li>abortable (a failover outlasting the client's retries, too few replicas in sync, the group
 * moved on without this member — {@code CommitFailedException} from {@code sendOffsetsToTransaction},
 * the consumer-generation fencing of EOS v2): abort, rewind the consumer to the batch's first
 * offsets (which are the group's committed ones), back off, and read the batch again. Nothing of the aborted attempt is visible to
 * read_committed readers, and the group's offsets did not move.</li>
 * <li>application-recoverable (e.g. the coordinator aborted our transaction after its timeout and
 * bumped our epoch: {@code InvalidProducerEpochException}, {@code ProducerFencedException}, or at the
 * commit {@code InvalidTxnStateException}): the session ends; {@link RelayRunner} closes both
 * clients and starts a new session, whose {@code initTransactions()} settles what the old producer
 * left open and whose consumer resumes from the committed offsets. A {@code commitTransaction()}
 * that times out is retried once (the client allows nothing else: the commit may be completing) and
 * then handled the same way.</li>
 * <li>fatal (not authorized, or anything outside the categories), and an outdated epoch for the
 * second time within {@code relay.fenced-again-within}, not counting one met in a transaction open
 * for its timeout or longer ({@link #stopsOn}): stop for good, health
 * DOWN. Twice in that time is another live instance with our transactional.id; a new session would
 * fence it back, and the two would take turns as each other's zombie.</li>
 * <li>{@link WakeupException}: {@link #stop()} was called; the session ends.</li>
 * </ul>
 *
 * Why a plain poll loop and not a listener container with a KafkaTransactionManager: the
 * container would call sendOffsetsToTransaction for us, invisibly. Here the one offset commit
 * of the relay is the line a reader can point at, and this consumer's partitions are assigned and
 * revoked only inside {@code poll()}, never while its transaction is open.
 *
 * <p>The thread, its start and stop, and the sessions restarted with back-off are
 * {@link RelayRunner}'s: it is given {@link #runSession} and {@link #stopsOn}.
 *
 * <p>This is the relay of the default, exactly-once mode. Under the Spring profile
 * {@code at-least-once} or {@code at-most-once} (the comparison lab's weaker modes) the
 * {@code @Profile} below leaves it out and {@code dev.adclicks.relay.comparison.NonTransactionalRelay}
 * runs instead.
 */
@Component
@Profile(TransactionalRelay.PROFILE)
public class TransactionalRelay implements SmartLifecycle, HealthIndicator, DisposableBean {

    /** The profiles this relay runs under: all but the comparison lab's weaker modes. */
    static final String PROFILE = "!at-least-once & !at-most-once";

    private static final Logger log = LoggerFactory.getLogger(TransactionalRelay.class);

    private final RelayProperties relay;
    private final RelayStep step;
    private final TransactionFaultHook faultHook;
    private final RelayMetrics metrics;
    private final RelayPhases phases;
    private final RelayRunner runner;
    private final ProcessingWarmUp warmUp;
    private final TransactionWarmUp transactionWarmUp;
    /** The first session's producer and its initTransactions(), begun while the application starts (or not at all). */
    private final EarlyFencing fencing;
    /** Set once the warm-ups have run, on the runner's thread; until then the health is OUT_OF_SERVICE. */
    private volatile boolean warmedUp;
    /** When this relay's producer epoch was found outdated, within the last {@code relay.fenced-again-within}. */
    private final java.util.Deque<Instant> fencings = new java.util.ArrayDeque<>();
    /** {@code System.nanoTime()} at the open transaction's begin, else {@link #NO_TRANSACTION}; the relay's thread's. */
    private long transactionBegan = NO_TRANSACTION;
    private static final long NO_TRANSACTION = Long.MIN_VALUE;

    public TransactionalRelay(RelayKafkaClients clients, RelayProperties relay, RelayStep step,
            ObjectProvider<TransactionFaultHook> faultHook, RelayMetrics metrics, MeterRegistry meters,
            ProcessingWarmUp warmUp, TransactionWarmUp transactionWarmUp,
            ObjectProvider<EarlyFencing> fencingAtLaunch) {
        this.relay = relay;
        this.warmUp = warmUp;
        this.transactionWarmUp = transactionWarmUp;
        this.step = step;
        this.faultHook = faultHook.getIfAvailable(() -> TransactionFaultHook.NONE);
        this.metrics = metrics;
        this.phases = new RelayPhases(meters, DeliverySemantics.EXACTLY_ONCE);
        // each session: the consumer, and a transactional producer with this instance's stable
        // transactional.id; the first session's producer is made, and fences, while the application
        // starts: from the launch in the packaged service (FencingAtLaunch), else from here
        EarlyFencing atLaunch = fencingAtLaunch.getIfAvailable();
        if (atLaunch != null && !atLaunch.transactionalId().equals(relay.transactionalId())) {
            // bound from other settings than this bean's: not this relay's producer
            log.warn("The producer fenced at launch has transactional.id {}, this relay {}: closing it",
                    atLaunch.transactionalId(), relay.transactionalId());
            atLaunch.close();
            atLaunch = null;
        }
        this.fencing = atLaunch != null ? atLaunch : new EarlyFencing(relay.transactionalId(), clients::transactionalProducer);
        if (atLaunch == null && relay.fenceWhileStarting()) {
            // Now, not in start(): Spring Boot builds the other beans and starts the web servers for
            // seconds more before the relay's SmartLifecycle starts, and a killed predecessor's open
            // transaction holds back every read_committed reader until this aborts it (EarlyFencing).
            fencing.start();
        }
        this.runner = new RelayRunner("transactional-relay", relay, meters, clients::consumer,
                () -> fencing.takeProducer().orElseGet(clients::transactionalProducer), this::runSession, this::stopsOn);
    }

    /**
     * The read-process-write loop of one consumer + producer pair. When something breaks that an
     * abort cannot mend (the abort itself failed, the broker is gone), the exception leaves this
     * method and {@link RelayRunner} closes both clients and starts a new session: its
     * {@code initTransactions()} completes or aborts whatever the old producer left open, and its
     * consumer resumes from the committed offsets — the same state an abort leaves behind.
     */
    private void runSession(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        try {
            relay(consumer, producer);
        }
        catch (WakeupException stopping) {
            throw stopping; // stop() was called: the runner ends the thread
        }
        catch (RuntimeException e) {
            // Every error that ends the session is counted here, wherever in it it came from: a commit,
            // but also initTransactions(), a poll, or an abort that failed in its turn (counted as
            // abort first, then here). The runner then starts a new session, or stops the relay for
            // good on a fatal error. (Creating the clients happens in the runner, before this.)
            metrics.reaction(RelayErrors.reactionTo(e) == Reaction.STOP ? Reaction.STOP : Reaction.RECREATE, e);
            throw e;
        }
    }

    private void relay(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        // Fences any older producer with our transactional.id and aborts what it left open. For the
        // first session's producer this only waits for the call made while the application started.
        fencing.initTransactions(producer);
        if (!warmedUp) {
            // After the fencing, not before: a crashed predecessor's open transaction holds back every
            // read_committed reader of the partitions it wrote, and initTransactions() aborts it. Run
            // first, the warm-up (5-22 s after a kill on the lab's two busy cores) delayed that abort;
            // before joining the group, so the first real clicks run compiled code. Then the producer's
            // own first transactions, to a topic of their own (TransactionWarmUp).
            warmUp.run();
            transactionWarmUp.run(producer);
            warmedUp = true;
        }
        consumer.subscribe(List.of(Topics.AD_CLICKS));
        log.info("Relay {} running: {} -> {} in transactions (transactional.id {})", relay.instanceId(),
                Topics.AD_CLICKS, Topics.AD_EVENTS, relay.transactionalId());
        // each output goes into the open transaction; its topic is counted, the record itself not kept
        Function<ProducerRecord<String, byte[]>, String> send = output -> {
            producer.send(output);
            return output.topic();
        };
        BackOffExecution backOff = runner.newBackOff();
        while (runner.isRunning()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(relay.pollTimeout());
            if (records.isEmpty()) {
                continue;
            }
            // counted per topic, not kept: a ProducerRecord held until the commit would outlive young
            // collections and fill the old generation (docs/performance.md)
            RelayMetrics.Outputs outputs = new RelayMetrics.Outputs();
            phases.start();
            try {
                transactionBegan = System.nanoTime();
                producer.beginTransaction();
                for (ConsumerRecord<String, byte[]> record : records) {
                    outputs.sent(step.relay(record, send)); // event, rejection or dead letter
                }
                phases.done(Phase.PROCESS);
                // The input offsets join the transaction: pending until it commits, dropped if it aborts.
                // (Before the flush: their round trips overlap the outputs' produce requests.)
                producer.sendOffsetsToTransaction(ConsumedOffsets.next(records), consumer.groupMetadata());
                phases.done(Phase.OFFSETS);
                // commitTransaction() would flush too; flushing first times the two apart (relay.phase)
                // and has every output in the log before the fault point below.
                producer.flush();
                phases.done(Phase.FLUSH);
                // Every output is now in the log, uncommitted (had a send failed, the commit would throw),
                // and the offsets are in the transaction, yet nothing is visible or committed. A crash or
                // error from here to the commit must change nothing: the abort (or the next
                // initTransactions) discards outputs and offsets together. The test hook fails or halts
                // exactly here.
                faultHook.afterSendsBeforeCommit(outputs.total());
                commit(producer);
                transactionBegan = NO_TRANSACTION;
                phases.done(Phase.COMMIT);
                metrics.committed(outputs);
                backOff = runner.newBackOff();
            }
            catch (WakeupException stopping) {
                throw stopping; // stop() was called: the runner ends the thread
            }
            catch (RuntimeException e) {
                if (RelayErrors.reactionTo(e) != Reaction.ABORT) {
                    throw e; // the runner starts a new session (RECREATE) or stops this relay for good (STOP)
                }
                metrics.reaction(Reaction.ABORT, e);
                log.warn("Transaction aborted, rewinding to the batch's first offsets: {}", e.toString());
                producer.abortTransaction();
                transactionBegan = NO_TRANSACTION;
                metrics.aborted(outputs.total());
                // after an abort the consumer's position is past records whose outputs were discarded:
                // back to this batch's first record in each partition (not a broker call, see rewindTo)
                ConsumedOffsets.rewindTo(consumer, records);
                runner.pause(backOff.nextBackOff());
            }
        }
    }

    /**
     * Commits; a {@code TimeoutException} is retried once with the commit itself, as the client
     * documents (the commit may already be completing, so an abort is not allowed). Timed out again,
     * the outcome is unknown: {@link RelayErrors.CommitOutcomeUnknownException}, a new session.
     */
    private void commit(KafkaProducer<String, byte[]> producer) {
        try {
            producer.commitTransaction();
        }
        catch (TimeoutException timedOut) {
            metrics.reaction(Reaction.COMMIT_AGAIN, timedOut);
            log.warn("commitTransaction() timed out; committing again: {}", timedOut.toString());
            try {
                producer.commitTransaction();
            }
            catch (TimeoutException again) {
                throw new RelayErrors.CommitOutcomeUnknownException(again);
            }
        }
    }

    /**
     * Whether this relay stops for good on {@code error}: a {@link Reaction#STOP} error, or an
     * outdated producer epoch ({@link RelayErrors#isEpochFencing}) for the second time within
     * {@code relay.fenced-again-within} (5 minutes by default). Once can be a twin that started after us,
     * or anything else that bumped our epoch: the new session's
     * {@code initTransactions()} carries on. Twice in that time is a live twin with our
     * {@code transactional.id} that fences us back each time: one of the two must stop, and the one
     * fenced twice first does.
     *
     * <p>An outdated epoch met in a transaction that had been open for {@code relay.transaction-timeout}
     * or longer is not counted: the coordinator aborts such a transaction and bumps the epoch itself,
     * so it says nothing about a twin. Otherwise two long stalls within the window (two frozen
     * pauses, or a broker outage longer than the timeout, twice) would stop a relay that has no twin.
     * A twin is still caught: it fences each of our sessions, their short transactions included. (The
     * age is taken when the error surfaces: a twin's fencing whose error surfaces only once the
     * transaction has been open that long, a request having hung meanwhile, is not counted either;
     * the twin is caught at one that surfaces sooner.)
     */
    boolean stopsOn(RuntimeException error) {
        long began = transactionBegan;
        transactionBegan = NO_TRANSACTION; // read once per failed session: the next one begins its own
        if (RelayErrors.reactionTo(error) == Reaction.STOP) {
            return true;
        }
        if (!RelayErrors.isEpochFencing(error)) {
            return false;
        }
        if (began != NO_TRANSACTION) {
            Duration open = Duration.ofNanos(System.nanoTime() - began);
            if (open.compareTo(relay.transactionTimeout()) >= 0) {
                log.warn("Relay {}: producer epoch outdated in a transaction open for {} ms, at least the transaction "
                        + "timeout of {} ms: taken for the coordinator's abort, not counted as a twin's fencing",
                        relay.instanceId(), open.toMillis(), relay.transactionTimeout().toMillis());
                return false;
            }
        }
        Instant now = Instant.now();
        synchronized (fencings) {
            fencings.removeIf(at -> at.isBefore(now.minus(relay.fencedAgainWithin())));
            fencings.add(now);
            if (fencings.size() > 1) {
                log.error("Relay {}: producer epoch fenced again within {}: another live instance uses transactional.id {}",
                        relay.instanceId(), relay.fencedAgainWithin(), relay.transactionalId());
                return true;
            }
            return false;
        }
    }

    @Override
    public Health health() {
        if (runner.failed()) {
            return Health.down().withDetail("transactionalId", relay.transactionalId())
                    .withDetail("error", String.valueOf(runner.fatalError())).build();
        }
        return (runner.isRunning() && warmedUp ? Health.up() : Health.outOfService())
                .withDetail("transactionalId", relay.transactionalId()).withDetail("warmedUp", warmedUp).build();
    }

    @Override
    public void start() {
        runner.start(); // the session warms up first, right after initTransactions() (runSession)
    }

    @Override
    public void stop() {
        runner.stop();
    }

    /** Closes the producer fenced while the application started, if no session took it. */
    @Override
    public void destroy() {
        fencing.close();
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning();
    }
}
