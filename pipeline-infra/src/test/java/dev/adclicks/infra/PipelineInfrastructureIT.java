package dev.adclicks.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The servers are real: a transactional producer commits, and the database enforces a unique key.
 * And Kafka is closed to strangers on every backend: a client without credentials or with a wrong
 * password gets no answer, and a principal without ACLs cannot see a topic.
 */
class PipelineInfrastructureIT {

    private final PipelineInfrastructure infra = PipelineInfrastructure.shared();

    @Test
    void kafkaRunsTransactionsThatReadCommittedConsumersSee() throws Exception {
        String topic = "infra-" + UUID.randomUUID();
        try (Admin admin = Admin.create(infra.kafkaAdminConnection().clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(infra.kafkaAdminConnection()
                .clientProperties(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "infra-test-" + UUID.randomUUID())),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(infra.kafkaAdminConnection().clientProperties(
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.GROUP_ID_CONFIG, "infra-test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            for (int i = 0; i < 50 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records).extracting(r -> r.value()).containsExactly("committed");
        }
    }

    /**
     * A transaction whose producer is gone stops holding back read_committed readers soon after
     * its timeout: within {@link PipelineInfrastructure#TIMED_OUT_TRANSACTION_CHECK} and some
     * slack. Three in a row, so that Kafka's default check every 10 s, which aborts each 0-10 s
     * after its timeout, cannot pass by luck (each of the three would need to land in the first
     * 3 s of its 10).
     */
    @Test
    void aTransactionWhoseProducerIsGoneIsAbortedWithinASecondOrTwoOfItsTimeout() throws Exception {
        String topic = "infra-" + UUID.randomUUID();
        try (Admin admin = Admin.create(infra.kafkaAdminConnection().clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Duration timeout = Duration.ofSeconds(1);
        for (int i = 0; i < 3; i++) {
            // never committed, never aborted, never closed before the broker aborts it: a crashed producer
            KafkaProducer<String, String> crashed = new KafkaProducer<>(infra.kafkaAdminConnection().clientProperties(
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "infra-crashed-" + UUID.randomUUID(),
                            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) timeout.toMillis())),
                    new StringSerializer(), new StringSerializer());
            try (crashed; KafkaConsumer<String, String> reader = new KafkaConsumer<>(infra.kafkaAdminConnection()
                    .clientProperties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                    new StringDeserializer(), new StringDeserializer())) {
                crashed.initTransactions();
                crashed.beginTransaction();
                TopicPartition partition = new TopicPartition(topic, 0);
                long before = reader.endOffsets(List.of(partition)).get(partition);
                crashed.send(new ProducerRecord<>(topic, "open")).get();
                // read_committed's end (the last stable offset) stays before the open transaction ...
                assertThat(reader.endOffsets(List.of(partition)).get(partition)).isEqualTo(before);
                // ... and moves past it once the broker has aborted it
                await().atMost(timeout.plus(PipelineInfrastructure.TIMED_OUT_TRANSACTION_CHECK).plusSeconds(2))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> reader.endOffsets(List.of(partition)).get(partition) > before);
            }
        }
    }

    @Test
    void kafkaRefusesClientsWithoutCredentialsOrWithAWrongPasswordAndAuthorizesByAcls() throws Exception {
        String topic = "infra-closed-" + UUID.randomUUID();
        try (Admin admin = quickAdmin(infra.kafkaAdminConnection())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // the listener takes SASL only: a plaintext client's requests are never answered
        try (Admin anonymous = quickAdmin(KafkaConnection.plaintext(infra.kafkaBootstrapServers()))) {
            assertThatThrownBy(() -> anonymous.describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).clusterId()
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        KafkaConnection nobody = infra.kafkaConnection("infra-it-" + UUID.randomUUID());
        try (Admin wrongPassword = quickAdmin(nobody.as(new KafkaCredentials(nobody.credentials().orElseThrow().username(),
                "not-" + nobody.credentials().orElseThrow().password())))) {
            assertThatThrownBy(() -> wrongPassword.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        // authenticated, but granted nothing: the cluster answers, the topic is not its to see
        try (Admin withoutAcls = quickAdmin(nobody)) {
            assertThat(withoutAcls.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotBlank();
            assertThatThrownBy(() -> withoutAcls.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static Admin quickAdmin(KafkaConnection kafka) {
        return Admin.create(kafka.clientProperties(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000)));
    }

    @Test
    void databaseEnforcesUniqueKeysAndSurvivesAnOutage() throws Exception {
        String table = "infra_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (k VARCHAR(36) PRIMARY KEY)");
            assertThat(statement.executeUpdate("INSERT IGNORE INTO " + table + " VALUES ('a')")).isEqualTo(1);
            assertThat(statement.executeUpdate("INSERT IGNORE INTO " + table + " VALUES ('a')")).isZero();
        }
        infra.stopDatabase();
        try {
            assertThatThrownBy(this::connect).isInstanceOf(SQLException.class);
        }
        finally {
            infra.startDatabase();
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(infra.jdbcUrl() + "&connectTimeout=2000", infra.jdbcUsername(),
                infra.jdbcPassword());
    }
}
