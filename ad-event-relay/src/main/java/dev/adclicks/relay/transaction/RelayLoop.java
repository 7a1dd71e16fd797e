package dev.adclicks.relay.transaction;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The plumbing every relay shares, so that each relay class holds only its read-process-write
 * loop ({@link #runSession}): one thread, started and stopped with the application context, that
 * runs sessions until stopped. A session is one consumer + one producer; when something breaks
 * that the session cannot mend (the broker is gone, an abort failed), both clients are closed and
 * a new session starts from the committed offsets, after a back-off. An error the subclass calls
 * {@linkplain #isFatal fatal} ends the relay for good: health DOWN.
 */
abstract class RelayLoop implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

    protected final RelayKafkaClients clients;
    protected final RelayProperties relay;
    private final String threadName;
    private final MeterRegistry meters;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile Thread loop;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile RuntimeException fatalError;

    RelayLoop(RelayKafkaClients clients, RelayProperties relay, String threadName, MeterRegistry meters) {
        this.clients = clients;
        this.relay = relay;
        this.threadName = threadName;
        this.meters = meters;
    }

    /** The producer of a new session. */
    protected abstract KafkaProducer<String, byte[]> newProducer();

    /** The read-process-write loop of one session; returns or throws when the session is over. */
    protected abstract void runSession(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer);

    /** Errors after which this relay must not go on at all (e.g. fenced). None by default. */
    protected boolean isFatal(RuntimeException error) {
        return false;
    }

    protected void onFatal(RuntimeException error) {
        log.error("Relay {} stopped for good", relay.instanceId(), error);
    }

    private void run() {
        BackOffExecution backOff = newBackOff();
        while (running()) {
            try (KafkaConsumer<String, byte[]> consumer = clients.consumer();
                    KafkaProducer<String, byte[]> producer = newProducer();
                    // kafka.consumer.* (records-lag-max: how far behind ad-clicks the relay is) and
                    // kafka.producer.* (record-retry-total...) of this session's clients
                    KafkaClientMetrics consumerMetrics = bind(new KafkaClientMetrics(consumer));
                    KafkaClientMetrics producerMetrics = bind(new KafkaClientMetrics(producer))) {
                this.consumer = consumer;
                if (!running()) {
                    return;
                }
                runSession(consumer, producer);
            }
            catch (WakeupException stopping) {
                // stop() woke the consumer: leave (an open transaction is aborted when the producer closes)
            }
            catch (RuntimeException e) {
                if (isFatal(e)) {
                    fatalError = e;
                    state.set(State.FAILED);
                    onFatal(e);
                    return;
                }
                log.warn("Relay session failed, starting a new one: {}", e.toString());
                pause(backOff.nextBackOff());
            }
            finally {
                consumer = null;
            }
        }
    }

    private KafkaClientMetrics bind(KafkaClientMetrics metrics) {
        metrics.bindTo(meters);
        return metrics;
    }

    protected boolean running() {
        return state.get() == State.RUNNING;
    }

    protected boolean failed() {
        return state.get() == State.FAILED;
    }

    protected RuntimeException fatalError() {
        return fatalError;
    }

    protected BackOffExecution newBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(relay.retryInitialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(relay.retryMaxInterval().toMillis());
        return backOff.start();
    }

    protected void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set(State.STOPPED);
        }
    }

    @Override
    public void start() {
        if (state.compareAndSet(State.NEW, State.RUNNING) || state.compareAndSet(State.STOPPED, State.RUNNING)) {
            loop = new Thread(this::run, threadName);
            loop.start();
        }
    }

    @Override
    public void stop() {
        if (state.compareAndSet(State.RUNNING, State.STOPPED)) {
            KafkaConsumer<String, byte[]> current = consumer;
            if (current != null) {
                current.wakeup();
            }
        }
        Thread current = loop;
        if (current != null) {
            try {
                current.join(30_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running();
    }

    private enum State {
        NEW, RUNNING, STOPPED, FAILED
    }
}
