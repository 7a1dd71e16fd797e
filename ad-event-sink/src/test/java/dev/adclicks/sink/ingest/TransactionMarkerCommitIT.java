package dev.adclicks.sink.ingest;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.SinkIntegrationTest;

/**
 * A partition of ad-events ends with a transaction's commit marker, and the sink group's committed
 * offset must end up past it, whatever the order of commits in the group.
 *
 * <p>The case of the fault lab (two sinks, a database outage, a rebalance): a sink lost a
 * partition while it was retrying a batch of it; when the database came back it stored the batch and
 * committed its offsets ("last record + 1", the marker's offset), as a member of the group, after
 * the partition's new owner had already moved the committed offset past the marker. The new owner
 * had nothing more to read there, and the container's own correction (fixTxOffsets) never looked
 * at that partition again: a lag of 1 for good. Here a second member of the group makes that late
 * commit; {@link CommitPastTransactionMarkers} must repair it.
 */
class TransactionMarkerCommitIT extends SinkIntegrationTest {

    private static final TopicPartition PARTITION = new TopicPartition(Topics.AD_EVENTS, 0);

    private static final String OTHER_TOPIC = "marker-commit-it-other";

    @Test
    void aLateCommitBackToTheMarkerIsRepaired() throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(OTHER_TOPIC, 1, (short) 1))).all().get();
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        // a second member of the sink's group (on another topic, so the sink keeps every partition)
        try (KafkaConsumer<byte[], byte[]> otherMember = new KafkaConsumer<>(PipelineInfrastructure.shared()
                .kafkaAdminConnection().clientProperties(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            otherMember.subscribe(List.of(OTHER_TOPIC));
            await().atMost(PATIENCE).pollInSameThread()
                    .until(() -> otherMember.poll(Duration.ofMillis(200)).isEmpty() && !otherMember.assignment().isEmpty());

            // after that rebalance: a transaction ending partition 0, stored and committed past its marker
            long markerOffset = sendInATransaction().offset() + 1;
            // commitTransaction() returns once the coordinator has logged the commit; it writes the
            // marker to the partition after that, and the read_committed end offset passes it then
            await().atMost(PATIENCE).until(() -> endOffset(PARTITION) == markerOffset + 1);
            await().atMost(PATIENCE).until(() -> committedOffset(PARTITION) == markerOffset + 1);

            // the late commit, back to the marker (accepted: commitSync throws otherwise); the sink may
            // repair it before anyone could read it back
            otherMember.commitSync(Map.of(PARTITION, new OffsetAndMetadata(markerOffset)));

            await().atMost(PATIENCE).until(() -> committedOffset(PARTITION) == markerOffset + 1);
        }
    }

    private static RecordMetadata sendInATransaction() throws Exception {
        AdEvent event = event(uniqueAdId(), "2026-12-01T10:00:00Z", 1);
        try (KafkaProducer<String, byte[]> relay = new KafkaProducer<>(PipelineInfrastructure.shared().kafkaAdminConnection()
                .clientProperties(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "marker-commit-it-" + UUID.randomUUID())),
                new StringSerializer(), new ByteArraySerializer())) {
            relay.initTransactions();
            relay.beginTransaction();
            RecordMetadata sent = relay.send(new ProducerRecord<>(Topics.AD_EVENTS, PARTITION.partition(),
                    event.adId(), PipelineJson.write(event))).get();
            relay.commitTransaction();
            return sent;
        }
    }
}
