package dev.adclicks.relay.transaction;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.test.context.DynamicPropertyRegistry;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

/** Real-broker helpers for the relay's integration tests. */
final class RelayTestSupport {

    static final PipelineInfrastructure INFRA = PipelineInfrastructure.shared();

    private RelayTestSupport() {
    }

    static void register(DynamicPropertyRegistry registry) {
        INFRA.springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** Creates the relay's topics now (as the relay would at start-up), for tests that write before it runs. */
    static void createTopics() {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", INFRA.kafkaBootstrapServers()))) {
            for (String topic : List.of(Topics.AD_CLICKS, Topics.AD_EVENTS)) {
                try {
                    admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1))).all().get();
                }
                catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static AdClick click(String adId) {
        return new AdClick(UUID.randomUUID(), adId, "summer-sale", "user-" + adId, Instant.now());
    }

    /** Writes raw values to ad-clicks, keyed by adId (so one adId stays in one partition, in order). */
    static void sendRaw(String adId, List<byte[]> values) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(Topics.AD_CLICKS, adId, value));
            }
            producer.flush();
        }
    }

    static void send(List<AdClick> clicks) {
        for (AdClick click : clicks) {
            sendRaw(click.adId(), List.of(PipelineJson.write(click)));
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<ConsumerRecord<String, byte[]>> records(String topic, IsolationLevel isolation, String key) {
        return TopicReader.readAll(INFRA.kafkaBootstrapServers(), topic, isolation).stream()
                .filter(record -> key.equals(record.key()))
                .toList();
    }

    static List<AdEvent> events(IsolationLevel isolation, String adId) {
        return records(Topics.AD_EVENTS, isolation, adId).stream()
                .map(record -> PipelineJson.read(record.value(), AdEvent.class))
                .toList();
    }

    static Map<TopicPartition, Long> committedOffsets(String groupId) {
        return TopicReader.committedOffsets(INFRA.kafkaBootstrapServers(), groupId, Topics.AD_CLICKS);
    }

    static Map<TopicPartition, Long> endOffsets() {
        return TopicReader.endOffsets(INFRA.kafkaBootstrapServers(), Topics.AD_CLICKS, IsolationLevel.READ_UNCOMMITTED);
    }
}
