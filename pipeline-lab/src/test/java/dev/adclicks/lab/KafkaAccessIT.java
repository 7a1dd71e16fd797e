package dev.adclicks.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.KafkaCredentials;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.Topics;

/**
 * The denials of {@link KafkaAccess}, on the lab's authenticated cluster with the ACLs exactly as
 * the lab provisions them: each test fails if an ACL is widened (or authentication is switched
 * off), and each pairs the denial with what the same principal is allowed, so a denial cannot
 * come from a principal that can do nothing at all.
 */
class KafkaAccessIT {

    private static final String INVALID_CREDENTIALS = "invalid credentials with SASL mechanism SCRAM-SHA-512";

    private static PipelineInfrastructure infra;

    @BeforeAll
    static void provision() {
        infra = PipelineInfrastructure.sharedCluster();
        KafkaAccess.provision(infra);
    }

    @Test
    void anUnauthenticatedClientIsRefused() {
        KafkaConnection anonymous = KafkaConnection.plaintext(infra.kafkaBootstrapServers());
        try (KafkaProducer<String, String> producer = producer(anonymous, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000))) {
            // the SASL listener drops a client that does not authenticate; it never learns the metadata
            assertThat(failure(() -> producer.send(new ProducerRecord<>(Topics.AD_CLICKS, "k", "v")).get()))
                    .isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordIsAClearAuthenticationError() {
        KafkaConnection wrong = infra.kafkaConnection(KafkaAccess.RELAY)
                .as(new KafkaCredentials(KafkaAccess.RELAY, "not-the-password"));
        try (Admin admin = admin(wrong)) {
            assertThat(failure(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS)))
                    .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining(INVALID_CREDENTIALS);
        }
    }

    /**
     * The three services, packaged, each started with a wrong password: each logs the reason and
     * reports health DOWN with it (the Kafka cluster check), none pretends to run. The relay stops
     * for good (an authentication failure is fatal to its transactional producer) and the sink's
     * listener container stops (spring-kafka, no authExceptionRetryInterval): no silent retry loop.
     */
    @Test
    void everyServiceWithAWrongPasswordSaysSoAndIsDown() throws Exception {
        Path logDir = Paths.get("target", "lab", "kafka-access");
        Map<String, Map<String, String>> services = new LinkedHashMap<>();
        services.put(KafkaAccess.PRODUCER, Map.of("clicks.topic.replication-factor", "3"));
        services.put(KafkaAccess.RELAY, Map.of("relay.instance-id", "access-it-wrong-password",
                "relay.replication-factor", "3"));
        services.put(KafkaAccess.SINK, Map.of("sink.topic.replication-factor", "3",
                "spring.datasource.url", infra.jdbcUrl(), "spring.datasource.username", infra.jdbcUsername(),
                "spring.datasource.password", infra.jdbcPassword()));
        List<ServiceProcess> started = new ArrayList<>();
        try {
            for (Map.Entry<String, Map<String, String>> service : services.entrySet()) {
                Map<String, String> properties = new LinkedHashMap<>(infra.kafkaConnection(service.getKey())
                        .as(new KafkaCredentials(service.getKey(), "not-the-password")).springProperties());
                properties.putAll(service.getValue());
                started.add(new ServiceProcess(service.getKey() + "-wrong-password",
                        Pipeline.serviceJar(service.getKey()), FreePorts.next(), properties, logDir).start());
            }
            HttpClient http = HttpClient.newHttpClient();
            for (ServiceProcess service : started) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .untilAsserted(() -> {
                            String health = http.send(HttpRequest.newBuilder(service.managementUri("/actuator/health"))
                                    .build(), HttpResponse.BodyHandlers.ofString()).body();
                            assertThat(health).as(service.name()).startsWith("{").endsWith("\"status\":\"DOWN\"}")
                                    .contains(INVALID_CREDENTIALS);
                            if (service.name().startsWith(KafkaAccess.RELAY)) {
                                Matcher relayStatus = Pattern.compile("\"transactionalRelay\":\\{.*?\"status\":\"(\\w+)\"")
                                        .matcher(health);
                                assertThat(relayStatus.find()).isTrue();
                                assertThat(relayStatus.group(1)).as("the relay itself").isEqualTo("DOWN");
                            }
                        });
            }
            for (ServiceProcess service : started) {
                String log = Files.readString(service.log());
                assertThat(log).as(service.name()).contains("failed authentication due to: Authentication failed "
                        + "during authentication due to " + INVALID_CREDENTIALS);
                if (service.name().startsWith(KafkaAccess.RELAY)) {
                    assertThat(log).contains("stopped for good");
                }
                if (service.name().startsWith(KafkaAccess.SINK)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(service.log())
                            .contains("no authExceptionRetryInterval set"));
                }
            }
        }
        finally {
            started.forEach(ServiceProcess::close);
        }
    }

    @Test
    void theProducerWritesAdClicksOnlyAndCannotReadOrWriteAdEvents() {
        KafkaConnection producer = infra.kafkaConnection(KafkaAccess.PRODUCER);
        try (KafkaProducer<String, String> client = producer(producer, Map.of())) {
            assertThat(failure(() -> client.send(new ProducerRecord<>(Topics.AD_CLICKS, "access-it", "{}")).get()))
                    .as("its own topic").isNull();
            assertThat(failure(() -> client.send(new ProducerRecord<>(Topics.AD_EVENTS, "access-it", "{}")).get()))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(readFailure(producer, Topics.AD_EVENTS)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(readFailure(producer, Topics.AD_CLICKS)).as("write-only").isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theRelayStartsTransactionsOnlyUnderItsPrefixAndCannotWriteAdClicks() {
        KafkaConnection relay = infra.kafkaConnection(KafkaAccess.RELAY);
        try (KafkaProducer<String, String> own = producer(relay, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                KafkaAccess.RELAY_TRANSACTIONAL_ID_PREFIX + "access-it-" + UUID.randomUUID()))) {
            own.initTransactions();
            own.beginTransaction();
            assertThat(failure(() -> own.send(new ProducerRecord<>(Topics.AD_CLICKS, "access-it", "{}")).get()))
                    .as("the relay may not write its input").isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> foreign = producer(relay, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "ad-event-sink-" + UUID.randomUUID()))) {
            assertThat(failure(foreign::initTransactions)).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
        try (KafkaProducer<String, String> unprefixed = producer(relay, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "ad-event-relay" + UUID.randomUUID()))) {
            assertThat(failure(unprefixed::initTransactions)).as("the prefix includes its dash")
                    .isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void theSinkCannotWriteAdEventsNorCommitTheRelaysGroup() {
        KafkaConnection sink = infra.kafkaConnection(KafkaAccess.SINK);
        try (KafkaProducer<String, String> client = producer(sink, Map.of())) {
            assertThat(failure(() -> client.send(new ProducerRecord<>(Topics.AD_EVENTS_DLT, "access-it", "{}")).get()))
                    .as("its dead-letter topic").isNull();
            assertThat(failure(() -> client.send(new ProducerRecord<>(Topics.AD_EVENTS, "access-it", "{}")).get()))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<String, byte[]> own = consumer(sink, KafkaAccess.SINK_GROUP);
                KafkaConsumer<String, byte[]> relays = consumer(sink, KafkaAccess.RELAY_GROUP)) {
            // committing offsets the group already has changes nothing, and proves the grant
            TopicPartition events = new TopicPartition(Topics.AD_EVENTS, 0);
            OffsetAndMetadata current = own.committed(java.util.Set.of(events)).get(events);
            own.commitSync(Map.of(events, current == null ? new OffsetAndMetadata(0) : current));
            TopicPartition clicks = new TopicPartition(Topics.AD_CLICKS, 0);
            assertThat(failure(() -> relays.commitSync(Map.of(clicks, new OffsetAndMetadata(0)))))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void theDashboardDescribesTopicsAndGroupsButReadsAndWritesNoRecord() throws Exception {
        KafkaConnection dashboard = infra.kafkaConnection(KafkaAccess.DASHBOARD);
        try (Admin admin = admin(dashboard)) {
            assertThat(admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS)).hasSize(Topics.ALL.size());
            assertThat(failure(() -> admin.listConsumerGroupOffsets(KafkaAccess.SINK_GROUP).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS))).as("the sink's lag").isNull();
        }
        assertThat(readFailure(dashboard, Topics.AD_EVENTS)).isInstanceOf(TopicAuthorizationException.class);
        try (KafkaProducer<String, String> client = producer(dashboard, Map.of())) {
            // with WRITE on no topic at all, the idempotent producer is refused its producer id before
            // any record: InitProducerId needs WRITE on some topic or IDEMPOTENT_WRITE on the cluster.
            // If that refusal comes back before send() is called, send() itself throws "in an error
            // state", caused by it; otherwise the send's future fails with it.
            Throwable refused = failure(() -> client.send(new ProducerRecord<>(Topics.AD_CLICKS, "access-it", "{}")).get());
            assertThat(refused).as("the dashboard's send").isNotNull();
            assertThat(refused instanceof ClusterAuthorizationException ? refused : refused.getCause())
                    .as("the refusal, or the cause of the producer's error state: %s", refused)
                    .isInstanceOf(ClusterAuthorizationException.class);
        }
    }

    @Test
    void noServiceCreatesTopicsOrChangesAcls() {
        for (String service : KafkaAccess.PRINCIPALS) {
            try (Admin admin = admin(infra.kafkaConnection(service))) {
                assertThat(failure(() -> admin.createTopics(List.of(new NewTopic("access-it-" + UUID.randomUUID(), 1,
                        (short) 3))).all().get(10, TimeUnit.SECONDS))).as(service)
                        .isInstanceOf(TopicAuthorizationException.class);
                List<AclBinding> widen = List.of(new AclBinding(KafkaAccess.acls().get(0).pattern(),
                        new org.apache.kafka.common.acl.AccessControlEntry("User:" + service, "*",
                                org.apache.kafka.common.acl.AclOperation.ALL,
                                org.apache.kafka.common.acl.AclPermissionType.ALLOW)));
                assertThat(failure(() -> admin.createAcls(widen).all().get(10, TimeUnit.SECONDS))).as(service)
                        .isInstanceOf(ClusterAuthorizationException.class);
            }
        }
    }

    /** What the action threw (the cause of an ExecutionException), or null if it succeeded. */
    private static Throwable failure(org.assertj.core.api.ThrowableAssert.ThrowingCallable action) {
        Throwable thrown = catchThrowable(action);
        return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
    }

    /** How reading {@code topic} from its beginning fails for {@code kafka}'s principal (null if it does not). */
    private static Throwable readFailure(KafkaConnection kafka, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka, null)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            return failure(() -> {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
            });
        }
    }

    private static KafkaProducer<String, String> producer(KafkaConnection kafka, Map<String, Object> extra) {
        Map<String, Object> config = kafka.clientProperties(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaConnection kafka, String group) {
        Map<String, Object> config = kafka.clientProperties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Admin admin(KafkaConnection kafka) {
        return Admin.create(kafka.clientProperties(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)));
    }
}
