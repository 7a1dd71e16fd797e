package dev.adclicks.sink;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.RealServers;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;
import dev.adclicks.sink.store.AdDailyStatsRepository;

/**
 * The sink with its listener running against the shared real broker and database
 * ({@link RealServers}). Subclasses that add no profile and no property share one application
 * context (and one consumer in the group); each test keeps apart by its own adIds and clickIds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // short back-off and connection timeout: a DB outage shows up as failed attempts in seconds
        "sink.retry.initial-interval=200ms",
        "sink.retry.max-interval=1s",
        "spring.datasource.hikari.connection-timeout=2000",
})
@Import(RealServers.class)
public abstract class SinkIntegrationTest {

    protected static final String GROUP = "ad-event-sink";

    protected static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    protected StoredClickEvents clickEvents;

    @Autowired
    protected AdDailyStatsRepository dailyStats;

    @Autowired
    protected SinkMetrics metrics;

    protected KafkaProducer<String, byte[]> producer;

    protected Admin admin;

    @BeforeEach
    void connect() {
        KafkaConnection kafka = PipelineInfrastructure.shared().kafkaAdminConnection();
        Map<String, Object> producerConfig = kafka.clientProperties();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        // records sent together (then flushed) travel in one producer batch, so the sink very
        // likely polls them as one batch
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(kafka.clientProperties());
    }

    @AfterEach
    void disconnect() {
        producer.close();
        admin.close();
    }

    /** Sends the events as the relay would (key adId, value as JSON), together; returns their metadata. */
    protected List<RecordMetadata> send(List<AdEvent> events) {
        return sendRaw(events.stream()
                .map(event -> new ProducerRecord<>(Topics.AD_EVENTS, event.adId(), PipelineJson.write(event)))
                .toList());
    }

    protected RecordMetadata send(AdEvent event) {
        return send(List.of(event)).get(0);
    }

    protected List<RecordMetadata> sendRaw(List<ProducerRecord<String, byte[]>> records) {
        List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
        producer.flush();
        List<RecordMetadata> metadata = new ArrayList<>();
        for (Future<RecordMetadata> future : sent) {
            try {
                metadata.add(future.get());
            }
            catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("send failed", e);
            }
        }
        return metadata;
    }

    /** The sink group's committed offsets on ad-events; a partition without a commit is absent. */
    protected Map<TopicPartition, Long> committedOffsets() throws Exception {
        return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(entry -> entry.getKey().topic().equals(Topics.AD_EVENTS) && entry.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    protected long committedOffset(TopicPartition partition) throws Exception {
        return committedOffsets().getOrDefault(partition, 0L);
    }

    protected long endOffset(TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .partitionResult(partition).get().offset();
    }

    /**
     * What a read of the database throws while the database is down or the connection pool has not
     * reconnected yet: a query's error, or (repositories run in a transaction) the transaction's.
     */
    protected static boolean databaseUnavailable(Throwable error) {
        return error instanceof DataAccessException || error instanceof TransactionException;
    }

    protected static String uniqueAdId() {
        return "ad-" + UUID.randomUUID();
    }

    protected static AdEvent event(String adId, String occurredAt, long costMicros) {
        return event(UUID.randomUUID(), adId, occurredAt, costMicros);
    }

    protected static AdEvent event(UUID clickId, String adId, String occurredAt, long costMicros) {
        Instant at = Instant.parse(occurredAt);
        return new AdEvent(clickId, adId, "campaign-1", "user-1", at, costMicros,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    protected static List<UUID> clickIds(List<AdEvent> events) {
        return events.stream().map(AdEvent::clickId).toList();
    }
}
