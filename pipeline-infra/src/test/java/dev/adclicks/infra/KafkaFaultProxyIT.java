package dev.adclicks.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lost acks, for real: the proxy lets a Produce request reach the broker, drops the broker's
 * answer and cuts the connection; the producer retries the batch the broker already appended.
 * Without idempotence that batch is in the log twice; with it, once.
 */
class KafkaFaultProxyIT {

    private static final Logger log = LoggerFactory.getLogger(KafkaFaultProxyIT.class);
    private static final int RECORDS = 200;
    private static final int CUTS = 3;

    private static PipelineInfrastructure infra;
    private static KafkaFaultProxy proxy;

    @BeforeAll
    static void startServers() {
        infra = PipelineInfrastructure.startLocalWithFaultProxy();
        proxy = infra.kafkaFaultProxy().orElseThrow();
    }

    @AfterAll
    static void stopServers() {
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void clientsConnectThroughTheProxy() {
        assertThat(infra.backend()).isEqualTo(Backend.LOCAL);
        assertThat(infra.kafkaBootstrapServers()).isEqualTo(proxy.bootstrapServers());
        assertThat(proxy.port()).isNotEqualTo(proxy.targetPort());
    }

    @Test
    void withoutIdempotenceALostAckAppendsTheRetriedBatchTwice() throws Exception {
        String topic = createTopic();
        int cutsBefore = proxy.cutsDone();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<String, String> producer = producer("plain-", config)) {
            proxy.cutAfterProduceRequests(CUTS, "plain-");
            sendOneByOne(producer, topic, "plain");
        }

        List<String> values = readValues(topic);
        int distinct = new LinkedHashSet<>(values).size();
        log.info("Without idempotence: sent {}, read {}, distinct {}, cuts {}, appended more than once: {}", RECORDS,
                values.size(), distinct, proxy.cutsDone() - cutsBefore, duplicates(values));
        assertThat(proxy.cutsDone() - cutsBefore).isEqualTo(CUTS);
        assertThat(proxy.armed()).isFalse();
        assertThat(distinct).isEqualTo(RECORDS);
        // every lost ack made the producer resend a batch the broker had already appended
        assertThat(values).hasSize(RECORDS + CUTS);
    }

    @Test
    void withIdempotenceALostAckAppendsEveryRecordExactlyOnce() throws Exception {
        String topic = createTopic();
        int cutsBefore = proxy.cutsDone();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = producer("idempotent-", config)) {
            proxy.cutAfterProduceRequests(CUTS, "idempotent-");
            sendOneByOne(producer, topic, "idempotent");
        }

        List<String> values = readValues(topic);
        int distinct = new LinkedHashSet<>(values).size();
        log.info("With idempotence: sent {}, read {}, distinct {}, cuts {}", RECORDS, values.size(), distinct,
                proxy.cutsDone() - cutsBefore);
        assertThat(proxy.cutsDone() - cutsBefore).isEqualTo(CUTS);
        assertThat(proxy.armed()).isFalse();
        assertThat(values).containsExactlyElementsOf(
                IntStream.range(0, RECORDS).mapToObj(i -> "idempotent-" + i).toList());
    }

    @Test
    void theProxyKeepsWorkingAcrossABrokerRestart() throws Exception {
        String topic = createTopic();
        String bootstrapBefore = infra.kafkaBootstrapServers();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = producer("restart-", config)) {
            producer.send(new ProducerRecord<>(topic, "before-restart")).get();

            infra.stopKafka();
            infra.startKafka();

            // the same producer finds the broker again through the proxy's unchanged address
            producer.send(new ProducerRecord<>(topic, "after-restart")).get();
            int cutsBefore = proxy.cutsDone();
            proxy.cutAfterProduceRequests(1, "restart-");
            producer.send(new ProducerRecord<>(topic, "after-restart-and-lost-ack")).get();
            assertThat(proxy.cutsDone() - cutsBefore).isEqualTo(1);
        }

        assertThat(infra.kafkaBootstrapServers()).isEqualTo(bootstrapBefore).isEqualTo(proxy.bootstrapServers());
        assertThat(readValues(topic)).containsExactly("before-restart", "after-restart", "after-restart-and-lost-ack");
    }

    private static String createTopic() throws Exception {
        String topic = "fault-proxy-" + UUID.randomUUID();
        try (Admin admin = Admin.create(infra.kafkaAdminConnection().clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static KafkaProducer<String, String> producer(String clientIdPrefix, Map<String, Object> overrides) {
        Map<String, Object> config = infra.kafkaAdminConnection().clientProperties();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientIdPrefix + UUID.randomUUID());
        config.put(ProducerConfig.RETRIES_CONFIG, 10);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** One record per request, each waited for: every cut hits exactly one record's batch. */
    private static void sendOneByOne(KafkaProducer<String, String> producer, String topic, String prefix)
            throws Exception {
        for (int i = 0; i < RECORDS; i++) {
            producer.send(new ProducerRecord<>(topic, prefix + "-" + i)).get();
        }
    }

    /** Each value read more than once, with how often it was read. */
    private static Map<String, Long> duplicates(List<String> values) {
        Map<String, Long> counts = values.stream()
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
        counts.values().removeIf(count -> count == 1);
        return counts;
    }

    private static List<String> readValues(String topic) {
        return TopicReader.readAll(infra.kafkaAdminConnection(), topic, IsolationLevel.READ_UNCOMMITTED).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                .toList();
    }
}
