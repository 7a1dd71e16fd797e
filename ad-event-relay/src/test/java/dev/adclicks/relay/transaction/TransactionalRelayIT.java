package dev.adclicks.relay.transaction;

import static dev.adclicks.relay.RelayTestSupport.INFRA;
import static dev.adclicks.relay.RelayTestSupport.click;
import static dev.adclicks.relay.RelayTestSupport.committedOffsets;
import static dev.adclicks.relay.RelayTestSupport.endOffsets;
import static dev.adclicks.relay.RelayTestSupport.events;
import static dev.adclicks.relay.RelayTestSupport.records;
import static dev.adclicks.relay.RelayTestSupport.send;
import static dev.adclicks.relay.RelayTestSupport.sendRaw;
import static dev.adclicks.relay.RelayTestSupport.eventTraceparents;
import static dev.adclicks.relay.RelayTestSupport.sendTraced;
import static dev.adclicks.relay.RelayTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import dev.adclicks.infra.RealServers;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.DeadLetterHeaders;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.RejectedClick;
import dev.adclicks.model.RejectionReason;
import dev.adclicks.model.Topics;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "relay.instance-id=relay-it", "relay.retry-initial-interval=50ms", "relay.retry-max-interval=200ms" })
@Import(RealServers.class)
@DirtiesContext
class TransactionalRelayIT {

    private static final String GROUP = "ad-event-relay";

    @Autowired
    MeterRegistry meters;

    @Autowired
    private ArmableFault fault;

    @Autowired
    private TransactionalRelay relay;

    @Value("${relay.warm-up-transactions}")
    private int warmUpTransactions;

    @AfterEach
    void disarm() {
        fault.armed = false;
    }

    @Test
    void relaysEveryClickOnceAndCommitsTheOffsetsWithTheEvents() {
        String adId = "ad-" + UUID.randomUUID();
        List<AdClick> clicks = IntStream.range(0, 25).mapToObj(i -> click(adId)).toList();

        send(clicks);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(IsolationLevel.READ_COMMITTED, adId))
                .extracting(AdEvent::clickId)
                .containsExactlyInAnyOrderElementsOf(clicks.stream().map(AdClick::clickId).toList()));
        assertThat(events(IsolationLevel.READ_COMMITTED, adId)).allSatisfy(event -> {
            assertThat(event.costMicros()).isEqualTo(120_000L);
            assertThat(event.relayedAt()).isNotNull();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffsets(GROUP).equals(endOffsets()));
    }

    /**
     * The relay's start commits {@code relay.warm-up-transactions} transactions of
     * {@link TransactionWarmUp#EVENTS_PER_TRANSACTION} made-up events to its own topic, and none of
     * them, committed or not, reaches ad-events, which the sink and the lab's verifier read.
     */
    @Test
    void theWarmUpCommitsItsMadeUpEventsToItsOwnTopicAndNoneToAdEvents() {
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.health().getDetails().get("warmedUp").equals(true));

        assertThat(TopicReader.readAll(INFRA.kafkaAdminConnection(), Topics.AD_EVENTS, IsolationLevel.READ_UNCOMMITTED))
                .extracting(ConsumerRecord::key).noneMatch(key -> key != null && key.startsWith("warm-up-"));

        // each relay start's warm-up has adIds of its own, warm-up-<random>-<n>; other test classes'
        // relays on this broker warm up too, so one prefix among them is this one's
        Map<String, Long> warmUpEventsByStart = TopicReader.readAll(INFRA.kafkaAdminConnection(), Topics.RELAY_WARM_UP,
                IsolationLevel.READ_COMMITTED).stream()
                .map(record -> record.key().substring(0, record.key().lastIndexOf('-')))
                .collect(Collectors.groupingBy(prefix -> prefix, Collectors.counting()));
        assertThat(warmUpEventsByStart).containsValue((long) warmUpTransactions * TransactionWarmUp.EVENTS_PER_TRANSACTION);
    }

    @Test
    void theEventCarriesTheClicksTraceContext() {
        String adId = "ad-" + UUID.randomUUID();
        sendTraced(adId, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(eventTraceparents(adId)).singleElement()
                .asString().contains("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    @Test
    void invalidClicksGoToTheRejectedTopicWithTheReason() {
        String adId = "ad-" + UUID.randomUUID();
        AdClick unknownCampaign = new AdClick(UUID.randomUUID(), adId, "no-such-campaign", "user-1", Instant.now());
        AdClick missingUser = new AdClick(UUID.randomUUID(), adId, "summer-sale", null, Instant.now());
        AdClick valid = click(adId);

        send(List.of(unknownCampaign, missingUser, valid));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                records(Topics.AD_CLICKS_REJECTED, IsolationLevel.READ_COMMITTED, adId).stream()
                        .map(record -> PipelineJson.read(record.value(), RejectedClick.class))
                        .map(rejected -> Map.entry(rejected.click().clickId(), rejected.reason())).toList())
                .containsExactlyInAnyOrder(Map.entry(unknownCampaign.clickId(), RejectionReason.UNKNOWN_CAMPAIGN),
                        Map.entry(missingUser.clickId(), RejectionReason.MISSING_FIELD)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(IsolationLevel.READ_COMMITTED, adId))
                .extracting(AdEvent::clickId).containsExactly(valid.clickId()));
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndItsPartitionKeepsFlowing() {
        String adId = "ad-" + UUID.randomUUID();
        AdClick before = click(adId);
        AdClick after = click(adId);
        byte[] poison = utf8("{\"clickId\": \"not-a-uuid\", \"adId\": ");

        sendRaw(adId, List.of(PipelineJson.write(before), poison, PipelineJson.write(after)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(IsolationLevel.READ_COMMITTED, adId))
                .extracting(AdEvent::clickId).containsExactly(before.clickId(), after.clickId()));
        List<ConsumerRecord<String, byte[]>> deadLetters = records(Topics.AD_CLICKS_DLT, IsolationLevel.READ_COMMITTED,
                adId);
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(poison);
            assertThat(header(record, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.AD_CLICKS);
            long originalOffset = java.nio.ByteBuffer.wrap(record.headers().lastHeader(DeadLetterHeaders.ORIGINAL_OFFSET).value())
                    .getLong();
            assertThat(records(Topics.AD_CLICKS, IsolationLevel.READ_UNCOMMITTED, adId))
                    .filteredOn(original -> original.offset() == originalOffset)
                    .singleElement().satisfies(original -> assertThat(original.value()).isEqualTo(poison));
            assertThat(header(record, DeadLetterHeaders.EXCEPTION_MESSAGE)).isNotBlank();
        });
    }

    @Test
    void aFailureBeforeCommitAbortsOutputsAndOffsetsTogether() {
        String adId = "ad-" + UUID.randomUUID();
        List<AdClick> clicks = IntStream.range(0, 5).mapToObj(i -> click(adId)).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffsets(GROUP).equals(endOffsets()));
        Map<TopicPartition, Long> committedBefore = committedOffsets(GROUP);
        int firedBefore = fault.fired.get();
        double abortedTransactionsBefore = meters.counter("relay.transactions", "outcome", "aborted").count();
        double abortedRecordsBefore = meters.counter("relay.aborted.records").count();
        double committedEventsBefore = meters.counter("relay.committed.records", "topic", Topics.AD_EVENTS).count();
        fault.armed = true;

        send(clicks);

        // The relay sent the events, then failed before committing: they are in the log...
        await().atMost(Duration.ofSeconds(30)).until(() -> fault.fired.get() > firedBefore);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(events(IsolationLevel.READ_UNCOMMITTED, adId)).hasSizeGreaterThanOrEqualTo(5));
        // ...but aborted: a read_committed reader sees none of them, and the offsets did not move.
        assertThat(events(IsolationLevel.READ_COMMITTED, adId)).isEmpty();
        assertThat(committedOffsets(GROUP)).isEqualTo(committedBefore);

        fault.armed = false;

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(IsolationLevel.READ_COMMITTED, adId))
                .extracting(AdEvent::clickId)
                .containsExactlyInAnyOrderElementsOf(clicks.stream().map(AdClick::clickId).toList()));
        assertThat(events(IsolationLevel.READ_UNCOMMITTED, adId)).hasSizeGreaterThan(clicks.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffsets(GROUP).equals(endOffsets()));

        // the meters tell the same story: an abort that discarded the outputs, then a commit of them
        assertThat(meters.counter("relay.transactions", "outcome", "aborted").count() - abortedTransactionsBefore)
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.counter("relay.aborted.records").count() - abortedRecordsBefore).isGreaterThanOrEqualTo(5);
        assertThat(meters.counter("relay.committed.records", "topic", Topics.AD_EVENTS).count() - committedEventsBefore)
                .isGreaterThanOrEqualTo(5);
        // and where the time went: every phase of the committed transactions was timed
        for (String phase : List.of("process", "offsets", "flush", "commit")) {
            assertThat(meters.timer("relay.phase", "semantics", "exactly-once", "phase", phase).count())
                    .as("relay.phase %s", phase).isGreaterThanOrEqualTo(1);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /**
     * Fails every transaction after its sends, while armed, with an abortable error (what a
     * failover outlasting the client's retries raises); an uncategorised exception would stop the
     * relay for good ({@link RelayErrors}).
     */
    static final class ArmableFault implements TransactionFaultHook {

        volatile boolean armed;
        final AtomicInteger fired = new AtomicInteger();

        @Override
        public void afterSendsBeforeCommit(int recordsSent) {
            if (armed) {
                fired.incrementAndGet();
                throw new org.apache.kafka.common.errors.TransactionAbortableException(
                        "injected fault after " + recordsSent + " sends", null);
            }
        }
    }

    @TestConfiguration
    static class FaultConfig {

        @Bean
        ArmableFault armableFault() {
            return new ArmableFault();
        }
    }
}
