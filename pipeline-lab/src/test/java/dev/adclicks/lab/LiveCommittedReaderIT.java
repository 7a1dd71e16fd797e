package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicAdmin;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.lab.LiveCommittedReader.Flagged;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

/**
 * The lab's checks on a real broker, with the test as the relay: it writes ad-clicks records and
 * commits or aborts ad-events transactions itself, shaped as the failures the checks look for.
 */
class LiveCommittedReaderIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final PipelineInfrastructure infra = PipelineInfrastructure.shared();

    @BeforeAll
    static void createTopics() {
        TopicAdmin.createIfAbsent(infra.kafkaAdminConnection(),
                Topics.declarations(List.of(Topics.AD_CLICKS, Topics.AD_EVENTS), (short) 1));
    }

    @Test
    void recordsOfAnAbortedTransactionAreNeverReadAndEveryCommittedOneIs() {
        String prefix = prefix();
        List<AdClick> clicks = clicks(prefix + "ad-1", 4);
        writeClicks(clicks);
        try (LiveCommittedReader reader = LiveCommittedReader.start(infra.kafkaAdminConnection(), prefix);
                KafkaProducer<String, byte[]> relay = transactionalProducer()) {
            relay.initTransactions();
            commit(relay, clicks.subList(0, 2));
            await().atMost(PATIENCE).until(() -> reader.recordsRead() == 2);

            // while the reader polls, a transaction writes two events and aborts; its retry commits them
            relay.beginTransaction();
            clicks.subList(2, 4).forEach(click -> relay.send(event(click)));
            relay.flush(); // in the log before the abort marker
            relay.abortTransaction();
            commit(relay, clicks.subList(2, 4));
            await().atMost(PATIENCE).until(() -> reader.recordsRead() >= 4);

            LiveCommittedReader.Result result = reader.stop();
            assertThat(result.abortedReads()).as("records of the aborted transaction read").isZero();
            assertThat(result.duplicates()).isZero();
            assertThat(result.recordsRead()).isEqualTo(4).isEqualTo(committedEvents(prefix));
            assertThat(ours(TopicReader.readAll(infra.kafkaAdminConnection(), Topics.AD_EVENTS,
                    IsolationLevel.READ_UNCOMMITTED), prefix)).as("the aborted records are in the log").isEqualTo(6);
        }
    }

    @Test
    void anEventBeyondTheClicksOfItsClickIdIsFlaggedAsItIsRead() {
        String prefix = prefix();
        try (LiveCommittedReader reader = LiveCommittedReader.start(infra.kafkaAdminConnection(), prefix);
                KafkaProducer<String, byte[]> relay = transactionalProducer()) {
            relay.initTransactions();
            AdClick once = clicks(prefix + "ad-1", 1).get(0);
            AdClick resent = clicks(prefix + "ad-1", 1).get(0);
            // a client re-sent one click: two records, so two events are its due
            writeClicks(List.of(once, resent, resent));
            commit(relay, List.of(once, resent, resent));
            await().atMost(PATIENCE).until(() -> reader.recordsRead() == 3);
            assertThat(reader.flagged()).isEmpty();

            RecordMetadata duplicate = commit(relay, List.of(once)).get(0);
            // flagged while the reader runs, not at its stop
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(reader.flagged())
                    .extracting(Flagged::kind, Flagged::partition, Flagged::offset, Flagged::clickId)
                    .containsExactly(tuple(Flagged.Kind.DUPLICATE, duplicate.partition(), duplicate.offset(),
                            once.clickId())));

            LiveCommittedReader.Result result = reader.stop();
            assertThat(result.duplicates()).isEqualTo(1);
            assertThat(result.abortedReads()).isZero();
            assertThat(result.recordsRead()).isEqualTo(4).isEqualTo(committedEvents(prefix));
        }
    }

    @Test
    void eventsOfAnAdCommittedOutOfTheOrderOfItsClicksAreFlaggedByTheOrderCheck() {
        String prefix = prefix();
        List<AdClick> inOrder = clicks(prefix + "ad-1", 3);
        List<AdClick> reordered = clicks(prefix + "ad-2", 3);
        List<AdClick> all = new ArrayList<>(inOrder);
        all.addAll(reordered);
        writeClicks(all);
        try (KafkaProducer<String, byte[]> relay = transactionalProducer()) {
            relay.initTransactions();
            commit(relay, inOrder);
            commit(relay, List.of(reordered.get(0), reordered.get(2), reordered.get(1)));
        }

        assertThat(new PipelineVerifier(infra).adsOutOfOrder(prefix)).containsExactly(prefix + "ad-2");
    }

    private static String prefix() {
        return "live-it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    private static List<AdClick> clicks(String adId, int count) {
        List<AdClick> clicks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clicks.add(new AdClick(UUID.randomUUID(), adId, "summer-sale", "user-" + i, Instant.now()));
        }
        return clicks;
    }

    /** As the producer service writes them: keyed by adId, in this order. */
    private static void writeClicks(List<AdClick> clicks) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                infra.kafkaAdminConnection().clientProperties(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(), new ByteArraySerializer())) {
            clicks.forEach(click -> producer.send(
                    new ProducerRecord<>(Topics.AD_CLICKS, click.adId(), PipelineJson.write(click))));
        }
    }

    /** One committed transaction with an event per click, in this order; their place in ad-events. */
    private static List<RecordMetadata> commit(KafkaProducer<String, byte[]> relay, List<AdClick> clicks) {
        relay.beginTransaction();
        List<Future<RecordMetadata>> sent = clicks.stream().map(click -> relay.send(event(click))).toList();
        relay.commitTransaction();
        List<RecordMetadata> written = new ArrayList<>();
        for (Future<RecordMetadata> future : sent) {
            try {
                written.add(future.get());
            }
            catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        return written;
    }

    /** The event the relay makes of a click, keyed by adId. */
    private static ProducerRecord<String, byte[]> event(AdClick click) {
        AdEvent event = new AdEvent(click.clickId(), click.adId(), click.campaignId(), click.userId(),
                click.occurredAt(), 120_000, Instant.now());
        return new ProducerRecord<>(Topics.AD_EVENTS, event.adId(), PipelineJson.write(event));
    }

    private static KafkaProducer<String, byte[]> transactionalProducer() {
        return new KafkaProducer<>(infra.kafkaAdminConnection().clientProperties(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "live-reader-it-" + UUID.randomUUID())),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static long committedEvents(String prefix) {
        return ours(TopicReader.readAll(infra.kafkaAdminConnection(), Topics.AD_EVENTS, IsolationLevel.READ_COMMITTED),
                prefix);
    }

    private static long ours(List<ConsumerRecord<String, byte[]>> records, String prefix) {
        return records.stream().filter(record -> record.key() != null && record.key().startsWith(prefix)).count();
    }
}
