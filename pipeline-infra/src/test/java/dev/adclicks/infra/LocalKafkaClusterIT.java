package dev.adclicks.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.LocalKafkaCluster.Broker;

/**
 * The three-broker cluster of the lab, and what replication does and does not protect: an
 * {@code acks=1} write acknowledged while the followers had not fetched it is lost when its leader
 * dies, an {@code acks=all} write is not; with two of three brokers down {@code acks=all} writes
 * are refused with {@code NotEnoughReplicas}; and that the lab's faults restart a killed broker
 * only after the controller has fenced it, even one that led nothing. It starts a cluster of its own (about a minute): it runs in
 * {@code ./mvnw -Pfailover verify}, which {@code .ci/run} runs, not in the plain verify.
 */
class LocalKafkaClusterIT {

    private static PipelineInfrastructure infra;
    private static LocalKafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        infra = PipelineInfrastructure.startLocalCluster();
        cluster = infra.kafkaCluster().orElseThrow();
    }

    @AfterAll
    static void stopCluster() {
        if (infra != null) {
            infra.close();
        }
    }

    @AfterEach
    void everyBrokerBackInSync() {
        cluster.brokers().forEach(Broker::releaseReplication);
        cluster.start(cluster.brokers().stream().filter(b -> !b.isRunning()).toList());
        cluster.awaitFullyReplicated(Duration.ofSeconds(90));
    }

    @Test
    void threeBrokersAndTheInternalTopicsReplicatedThreeTimesWithMinIsrTwo() throws Exception {
        assertThat(cluster.brokers()).extracting(Broker::id).containsExactly(1, 2, 3);
        assertThat(infra.replicationFactor()).isEqualTo((short) 3);
        assertThat(infra.kafkaBootstrapServers().split(",")).hasSize(3);

        String transactionalId = "cluster-it-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
            String topic = createTopic(1);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
            producer.commitTransaction();
            assertThat(cluster.brokers()).contains(cluster.transactionCoordinator(transactionalId));
        }
        String group = "cluster-it-" + UUID.randomUUID();
        String topic = createTopic(1);
        try (KafkaConsumer<String, byte[]> consumer = consumer(group)) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)));
        }
        assertThat(cluster.brokers()).contains(cluster.groupCoordinator(group));

        try (Admin admin = admin()) {
            Map<String, TopicDescription> internal = admin.describeTopics(List.of("__consumer_offsets",
                    "__transaction_state")).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(internal.values()).allSatisfy(t -> assertThat(t.partitions())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
            List<ConfigResource> resources = List.of(new ConfigResource(ConfigResource.Type.TOPIC, "__consumer_offsets"),
                    new ConfigResource(ConfigResource.Type.TOPIC, "__transaction_state"),
                    new ConfigResource(ConfigResource.Type.TOPIC, topic));
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS);
            assertThat(configs.values()).allSatisfy(c -> assertThat(c.get("min.insync.replicas").value()).isEqualTo("2"));
            assertThat(admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).voters())
                    .as("the controller is a node of its own").extracting(v -> v.replicaId()).containsExactly(0);
        }
    }

    @Test
    void anAcksOneWriteHeldOnItsLeaderIsLostWithItAndAnAcksAllWriteIsNot() throws Exception {
        String topic = createTopic(1);
        TopicPartition partition = new TopicPartition(topic, 0);
        Broker leader = cluster.leaderOf(partition).orElseThrow();
        try (KafkaProducer<String, String> acksOne = producer(Map.of(ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false));
                KafkaProducer<String, String> acksAll = producer(Map.of())) {
            acksAll.send(new ProducerRecord<>(topic, "before", "replicated")).get();

            leader.holdReplication();
            for (int i = 0; i < 20; i++) {
                acksOne.send(new ProducerRecord<>(topic, "acks-1", "one-" + i)).get(); // acknowledged by the leader alone
            }
            List<Future<RecordMetadata>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                waiting.add(acksAll.send(new ProducerRecord<>(topic, "acks-all", "all-" + i)));
            }
            // sent (linger 0), not acknowledged: the followers have not fetched them
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> waiting.stream().noneMatch(Future::isDone));
            assertThat(cluster.isrOf(partition)).as("followers held back, not yet out of sync").hasSize(3);

            leader.kill();
            leader.releaseReplication();
            for (Future<RecordMetadata> write : waiting) {
                write.get(60, TimeUnit.SECONDS); // retried to the new leader, written once (idempotence)
            }
            assertThat(cluster.leaderOf(partition)).get().isNotEqualTo(leader);
        }
        leader.start();
        cluster.awaitFullyReplicated(Duration.ofSeconds(90));

        List<String> values = TopicReaderValues.of(infra.kafkaAdminConnection(), topic);
        assertThat(values).filteredOn(v -> v.startsWith("one-")).as("acks=1: acknowledged, then lost").isEmpty();
        assertThat(values).filteredOn(v -> v.startsWith("all-")).as("acks=all: every write, once").hasSize(20)
                .doesNotHaveDuplicates();
        assertThat(values).contains("replicated");
    }

    @Test
    void withTwoOfThreeBrokersDownAcksAllWritesAreRefusedAndFlowAgainWhenTheyReturn() throws Exception {
        String topic = createTopic(3);
        List<Broker> down = List.of(cluster.broker(2), cluster.broker(3));
        down.forEach(Broker::kill);
        // fenced after the controller's broker session timeout: every ISR shrinks to broker 1
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int p = 0; p < 3; p++) {
                assertThat(cluster.isrOf(new TopicPartition(topic, p))).containsExactly(1);
            }
        });
        try (KafkaProducer<String, String> noRetries = producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.RETRIES_CONFIG, 0));
                KafkaProducer<String, String> acksOne = producer(Map.of(ProducerConfig.ACKS_CONFIG, "1",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            assertThatThrownBy(() -> noRetries.send(new ProducerRecord<>(topic, 0, "k", "refused")).get(30,
                    TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NotEnoughReplicasException.class);
            acksOne.send(new ProducerRecord<>(topic, 0, "k", "acks-1 still accepted")).get(30, TimeUnit.SECONDS);

            cluster.start(down);
            cluster.awaitFullyReplicated(Duration.ofSeconds(90));
            noRetries.send(new ProducerRecord<>(topic, 0, "k", "accepted again")).get(30, TimeUnit.SECONDS);
        }
        assertThat(TopicReaderValues.of(infra.kafkaAdminConnection(), topic))
                .containsExactlyInAnyOrder("acks-1 still accepted", "accepted again");
    }

    @Test
    void aKilledBrokerThatLedNothingCountsAsFailedOverOnlyOnceTheControllerHasFencedIt() throws Exception {
        String topic = createTopic(3);
        Broker broker = cluster.broker(2);
        broker.kill();
        cluster.awaitLeadershipMovedFrom(broker, Duration.ofSeconds(60));
        broker.start();
        cluster.awaitFullyReplicated(Duration.ofSeconds(90));
        // restarted a moment ago, it leads nothing (preferred leaders come back every 5 minutes)
        for (int p = 0; p < 3; p++) {
            assertThat(cluster.leaderOf(new TopicPartition(topic, p))).isPresent().get().isNotSameAs(broker);
        }

        broker.kill();
        cluster.awaitLeadershipMovedFrom(broker, Duration.ofSeconds(60));

        // what Fault.killAndRestart relies on before it restarts a broker: the outage has happened
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .extracting(org.apache.kafka.common.Node::id).doesNotContain(broker.id());
        }
    }

    private static String createTopic(int partitions) throws Exception {
        String topic = "cluster-it-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leaderOf(new TopicPartition(topic, 0)).isPresent());
        return topic;
    }

    private static Admin admin() {
        return Admin.create(infra.kafkaAdminConnection().clientProperties());
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> overrides) {
        Map<String, Object> config = infra.kafkaAdminConnection().clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0));
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        return new KafkaConsumer<>(infra.kafkaAdminConnection().clientProperties(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group)), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every value of a topic, read to its end. */
    private static final class TopicReaderValues {
        static List<String> of(KafkaConnection kafka, String topic) {
            return TopicReader.readAll(kafka, topic, IsolationLevel.READ_COMMITTED).stream()
                    .map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
        }
    }
}
