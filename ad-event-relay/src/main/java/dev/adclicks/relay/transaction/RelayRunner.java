package dev.adclicks.relay.transaction;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Runs a relay's read-process-write loop on one thread of its own, in sessions. A relay owns one
 * runner and hands it its loop ({@link Session}) and the test for its fatal errors; the relay's
 * {@code SmartLifecycle} methods call {@link #start()}, {@link #stop()} and {@link #isRunning()}.
 *
 * <p>A session is one new consumer and one new producer from the relay's suppliers, given to the
 * loop (the exactly-once relay's first producer is made, and fenced, while the application starts:
 * {@link EarlyFencing}). When the loop throws,
 * the error is logged, both clients are closed (each waiting at most {@code relay.close-timeout}),
 * and then:
 * <ul>
 * <li>an error the relay's predicate calls fatal ends the relay for good: the thread ends,
 * {@link #failed()} is true and {@link #fatalError()} holds the error (the relay's health reports
 * it DOWN). Only a restart of the process starts it again;</li>
 * <li>any other error starts a new session after a back-off. Its consumer resumes from the
 * group's committed offsets, and a transactional producer's {@code initTransactions()} ends what
 * the closed one left open.</li>
 * </ul>
 * {@link #stop()} wakes the consumer up: its next blocking call throws {@link WakeupException},
 * which ends the session and the thread. (Were a transaction open then, closing the producer
 * would abort it.)
 */
public final class RelayRunner {

    private static final Logger log = LoggerFactory.getLogger(RelayRunner.class);

    /** The read-process-write loop of one session: runs until the runner stops, or throws. */
    @FunctionalInterface
    public interface Session {

        void run(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer);
    }

    private final String threadName;
    private final RelayProperties relay;
    private final MeterRegistry meters;
    private final Supplier<KafkaConsumer<String, byte[]>> newConsumer;
    private final Supplier<KafkaProducer<String, byte[]>> newProducer;
    private final Session session;
    private final Predicate<RuntimeException> isFatal;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile RuntimeException fatalError;

    public RelayRunner(String threadName, RelayProperties relay, MeterRegistry meters,
            Supplier<KafkaConsumer<String, byte[]>> newConsumer, Supplier<KafkaProducer<String, byte[]>> newProducer,
            Session session, Predicate<RuntimeException> isFatal) {
        this.threadName = threadName;
        this.relay = relay;
        this.meters = meters;
        this.newConsumer = newConsumer;
        this.newProducer = newProducer;
        this.session = session;
        this.isFatal = isFatal;
    }

    private void run() {
        BackOffExecution backOff = newBackOff();
        while (isRunning()) {
            KafkaConsumer<String, byte[]> consumer = null;
            KafkaProducer<String, byte[]> producer = null;
            KafkaClientMetrics consumerMetrics = null;
            KafkaClientMetrics producerMetrics = null;
            long pause = 0;
            try {
                consumer = newConsumer.get();
                producer = newProducer.get();
                // kafka.consumer.* (records-lag-max: how far behind ad-clicks the relay is) and
                // kafka.producer.* (record-retry-total...) of this session's clients
                consumerMetrics = bind(new KafkaClientMetrics(consumer));
                producerMetrics = bind(new KafkaClientMetrics(producer));
                this.consumer = consumer;
                if (!isRunning()) {
                    return;
                }
                session.run(consumer, producer);
            }
            catch (WakeupException stopping) {
                // stop() woke the consumer: the while condition ends the thread
            }
            catch (RuntimeException e) {
                // logged before the clients are closed: a close that waits on unreachable brokers
                // must not hide why the session ended
                if (isFatal.test(e)) {
                    fatalError = e;
                    state.set(State.FAILED);
                    log.error("Relay {} stopped for good on a fatal error; it stays DOWN until restarted",
                            relay.instanceId(), e);
                    return;
                }
                log.warn("Relay session failed; closing its clients and starting a new one: {}", e.toString());
                pause = backOff.nextBackOff();
            }
            finally {
                this.consumer = null;
                close(producerMetrics, consumerMetrics, producer, consumer);
            }
            pause(pause);
        }
    }

    /**
     * Closes a session's clients, none waiting longer than {@code relay.close-timeout}. A plain
     * {@code KafkaProducer.close()} waits without limit for the sender's pending requests, and with
     * the transaction coordinator unreachable it retries the transaction's commit (or the abort it
     * starts on close) for as long as that lasts: the relay thread would hang there, never starting
     * the next session. Cut short, the producer drops what it had not sent and leaves its
     * transaction to the next session's {@code initTransactions()}, which completes a commit the
     * coordinator had begun or aborts the rest (or to the transaction timeout, which aborts it).
     */
    private void close(KafkaClientMetrics producerMetrics, KafkaClientMetrics consumerMetrics,
            KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> consumer) {
        Duration timeout = relay.closeTimeout();
        closeQuietly("producer metrics", producerMetrics, KafkaClientMetrics::close);
        closeQuietly("consumer metrics", consumerMetrics, KafkaClientMetrics::close);
        closeQuietly("producer", producer, p -> p.close(timeout));
        closeQuietly("consumer", consumer, c -> c.close(CloseOptions.timeout(timeout)));
    }

    private static <T> void closeQuietly(String what, T resource, java.util.function.Consumer<T> close) {
        if (resource == null) {
            return;
        }
        try {
            close.accept(resource);
        }
        catch (RuntimeException e) {
            log.warn("Closing the relay session's {} failed: {}", what, e.toString());
        }
    }

    private KafkaClientMetrics bind(KafkaClientMetrics metrics) {
        metrics.bindTo(meters);
        return metrics;
    }

    /**
     * A fresh exponential back-off, from {@code relay.retry-initial-interval} doubling up to
     * {@code relay.retry-max-interval}: between sessions here, between aborted batches in a loop.
     */
    public BackOffExecution newBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(relay.retryInitialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(relay.retryMaxInterval().toMillis());
        return backOff.start();
    }

    /** Sleeps on the relay's thread; an interrupt stops the runner. */
    public void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set(State.STOPPED);
        }
    }

    public void start() {
        if (state.compareAndSet(State.NEW, State.RUNNING) || state.compareAndSet(State.STOPPED, State.RUNNING)) {
            thread = new Thread(this::run, threadName);
            thread.start();
        }
    }

    /**
     * Ends the loop: its condition {@link #isRunning()} turns false, and the consumer is woken up so
     * that a poll in progress returns at once (with {@link WakeupException}). Waits up to 30 s for the
     * thread to end.
     */
    public void stop() {
        if (state.compareAndSet(State.RUNNING, State.STOPPED)) {
            KafkaConsumer<String, byte[]> current = consumer;
            if (current != null) {
                current.wakeup();
            }
        }
        Thread current = thread;
        if (current != null) {
            try {
                current.join(30_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True from {@link #start()} until {@link #stop()} or a fatal error: the loop's condition. */
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** True once a fatal error ended the relay for good. */
    public boolean failed() {
        return state.get() == State.FAILED;
    }

    public RuntimeException fatalError() {
        return fatalError;
    }

    private enum State {
        NEW, RUNNING, STOPPED, FAILED
    }
}
