package dev.adclicks.relay.transaction;

import static dev.adclicks.relay.RelayTestSupport.INFRA;
import static dev.adclicks.relay.RelayTestSupport.click;
import static dev.adclicks.relay.RelayTestSupport.events;
import static dev.adclicks.relay.RelayTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;

import dev.adclicks.infra.RealServers;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.Topics;
import dev.adclicks.relay.RelayTestSupport;
import dev.adclicks.relay.processing.ClickProcessor;
import dev.adclicks.relay.processing.PricingProperties;
import dev.adclicks.relay.processing.ProcessingWarmUp;

/**
 * A relay that crashed with a transaction open leaves every partition it wrote blocked for
 * read_committed readers (the last stable offset cannot pass an open transaction) until the
 * broker times the transaction out. Restarted with the SAME transactional.id, the new instance's
 * {@code initTransactions()} aborts it at once. This test fails if the transactional.id is not
 * stable across restarts: the events would stay invisible for the whole transaction timeout.
 *
 * <p>The crashed incarnation is a bean ({@link CrashedIncarnation}): Spring creates every singleton
 * before it starts any {@code SmartLifecycle}, so its open transaction exists before the relay
 * under test starts — which is the restart.
 *
 * <p>The relay warms up after its {@code initTransactions()}, not before: the second test fails
 * if the warm-up runs first (it finds the crashed transaction still open), which on a busy machine
 * delayed the abort by the warm-up's 5-22 s after a kill.
 *
 * <p>And the relay fences while the application is still starting, before any {@code SmartLifecycle}
 * starts, its own included ({@link EarlyFencing}): the third test fails if the first
 * {@code initTransactions()} waits for the relay's thread, which starts with the relay's
 * {@code SmartLifecycle}, after {@link FirstToStart}'s (phase {@code Integer.MIN_VALUE}).
 *
 * <p>The crashed incarnation exists before the relay's bean begins to fence because the relay's
 * constructor takes the {@code @Primary} warm-up, whose bean method takes the crashed incarnation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "relay.instance-id=restart-it", "relay.group-id=restart-it" })
@Import(RealServers.class)
@DirtiesContext
class RelayRestartIT {

    private static final Duration CRASHED_TRANSACTION_TIMEOUT = Duration.ofSeconds(90);

    @Autowired
    private CrashedIncarnation crashed;

    @Autowired
    private WarmUpThatLooksAtTheCrashedTransaction warmUp;

    @Autowired
    private FirstToStart firstToStart;

    @Test
    void aRestartedRelayReleasesTheTransactionItsCrashedIncarnationLeftOpen() {
        assertThat(crashed.transactionalId).isEqualTo("ad-event-relay-restart-it");
        AdClick click = click("ad-" + UUID.randomUUID());

        send(List.of(click));

        // Well before the crashed transaction would time out, the event is readable.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                events(IsolationLevel.READ_COMMITTED, click.adId())).extracting(AdEvent::clickId)
                .containsExactly(click.clickId()));
    }

    @Test
    void theCrashedIncarnationsTransactionIsAbortedBeforeTheRelayWarmsUp() {
        TransactionState atWarmUp = await().atMost(Duration.ofSeconds(60)).until(() -> warmUp.stateAtStart, s -> s != null);

        assertThat(atWarmUp).isIn(TransactionState.EMPTY, TransactionState.COMPLETE_ABORT);
        assertThat(warmUp.priced).as("the warm-up ran").isPositive();
    }

    @Test
    void theCrashedIncarnationsTransactionIsAbortedBeforeTheRelayStarts() {
        assertThat(firstToStart.stateBeforeTheRelayStarted).isIn(TransactionState.EMPTY, TransactionState.COMPLETE_ABORT);
    }

    /**
     * The crashed incarnation: a producer with the relay's transactional.id that opened a
     * transaction on every partition of ad-events and never finished it. It stays open until the
     * context closes (closing a producer would abort its transaction).
     */
    static final class CrashedIncarnation implements AutoCloseable {

        final String transactionalId;
        private final KafkaProducer<String, String> producer;

        CrashedIncarnation(String transactionalId) {
            this.transactionalId = transactionalId;
            RelayTestSupport.createTopics();
            producer = new KafkaProducer<>(INFRA.kafkaAdminConnection().clientProperties(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) CRASHED_TRANSACTION_TIMEOUT.toMillis())),
                    new StringSerializer(), new StringSerializer());
            producer.initTransactions();
            producer.beginTransaction();
            for (int partition = 0; partition < 3; partition++) {
                producer.send(new ProducerRecord<>(Topics.AD_EVENTS, partition, "crashed", "never committed"));
            }
            producer.flush();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CrashBeforeTheRelayStarts {

        @Bean
        CrashedIncarnation crashedIncarnation(RelayProperties relay) {
            return new CrashedIncarnation(relay.transactionalId());
        }

        @Bean
        FirstToStart firstToStart(CrashedIncarnation crashed) {
            return new FirstToStart(crashed.transactionalId);
        }

        @Bean
        @Primary
        WarmUpThatLooksAtTheCrashedTransaction warmUpThatLooksAtTheCrashedTransaction(ClickProcessor processor,
                PricingProperties pricing, RelayProperties relay, CrashedIncarnation crashed) {
            return new WarmUpThatLooksAtTheCrashedTransaction(processor, pricing, relay, crashed.transactionalId);
        }
    }

    /**
     * Starts before every other {@code SmartLifecycle} of the application, the relay included, and
     * waits there (up to 30 s; the crashed transaction's timeout is 90 s) for the crashed
     * incarnation's transaction to be aborted. Only a fencing begun before any lifecycle started
     * can end that wait.
     */
    static final class FirstToStart implements SmartLifecycle {

        private final String transactionalId;
        volatile TransactionState stateBeforeTheRelayStarted;
        private volatile boolean running;

        FirstToStart(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        @Override
        public void start() {
            try (Admin admin = Admin.create(INFRA.kafkaAdminConnection().clientProperties())) {
                Callable<TransactionState> state = () -> admin.describeTransactions(List.of(transactionalId))
                        .description(transactionalId).get().state();
                try {
                    stateBeforeTheRelayStarted = await().atMost(Duration.ofSeconds(30)).until(state,
                            s -> s == TransactionState.EMPTY || s == TransactionState.COMPLETE_ABORT);
                }
                catch (ConditionTimeoutException stillOpen) {
                    stateBeforeTheRelayStarted = state.call();
                }
            }
            catch (Exception e) {
                throw new IllegalStateException("describing " + transactionalId + " failed", e);
            }
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
            return Integer.MIN_VALUE;
        }
    }

    /** The relay's own warm-up, which first notes the state of the crashed incarnation's transaction. */
    static final class WarmUpThatLooksAtTheCrashedTransaction extends ProcessingWarmUp {

        private final String transactionalId;
        volatile TransactionState stateAtStart;
        volatile int priced;

        WarmUpThatLooksAtTheCrashedTransaction(ClickProcessor processor, PricingProperties pricing,
                RelayProperties relay, String transactionalId) {
            super(processor, pricing, relay);
            this.transactionalId = transactionalId;
        }

        @Override
        public int run() {
            try (Admin admin = Admin.create(INFRA.kafkaAdminConnection().clientProperties())) {
                stateAtStart = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                        .get().state();
            }
            catch (Exception e) {
                throw new IllegalStateException("describing " + transactionalId + " failed", e);
            }
            priced = super.run();
            return priced;
        }
    }
}
