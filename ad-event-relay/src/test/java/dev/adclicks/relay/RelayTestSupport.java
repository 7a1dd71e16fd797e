package dev.adclicks.relay;

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

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicAdmin;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

/**
 * Real-broker helpers for the relay's integration tests: they write to and read from the broker
 * directly. (The relay under test gets its servers from {@code @Import(RealServers.class)}.)
 */
public final class RelayTestSupport {

    public static final PipelineInfrastructure INFRA = PipelineInfrastructure.shared();

    private RelayTestSupport() {
    }

    /**
     * Creates {@code ad-clicks} and {@code ad-events} now, as {@link Topics} declares them (the relay
     * would at start-up), for tests that write before the relay runs.
     */
    public static void createTopics() {
        TopicAdmin.createIfAbsent(INFRA.kafkaAdminConnection(),
                Topics.declarations(List.of(Topics.AD_CLICKS, Topics.AD_EVENTS), (short) 1));
    }

    public static AdClick click(String adId) {
        return new AdClick(UUID.randomUUID(), adId, "summer-sale", "user-" + adId, Instant.now());
    }

    /** Writes raw values to ad-clicks, keyed by adId (so one adId stays in one partition, in order). */
    public static void sendRaw(String adId, List<byte[]> values) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(INFRA.kafkaAdminConnection().clientProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(Topics.AD_CLICKS, adId, value));
            }
            producer.flush();
        }
    }

    public static void send(List<AdClick> clicks) {
        for (AdClick click : clicks) {
            sendRaw(click.adId(), List.of(PipelineJson.write(click)));
        }
    }

    /** Writes one valid click to ad-clicks with a W3C {@code traceparent} header, as the producer service sends it. */
    public static void sendTraced(String adId, String traceparent) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(INFRA.kafkaAdminConnection().clientProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.AD_CLICKS, adId, PipelineJson.write(click(adId)));
            record.headers().add("traceparent", utf8(traceparent));
            producer.send(record);
        }
    }

    /** The {@code traceparent} header of each committed event for this adId ("" for an event without one). */
    public static List<String> eventTraceparents(String adId) {
        return records(Topics.AD_EVENTS, IsolationLevel.READ_COMMITTED, adId).stream().map(record -> {
            var header = record.headers().lastHeader("traceparent");
            return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
        }).toList();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static List<ConsumerRecord<String, byte[]>> records(String topic, IsolationLevel isolation, String key) {
        return TopicReader.readAll(INFRA.kafkaAdminConnection(), topic, isolation).stream()
                .filter(record -> key.equals(record.key()))
                .toList();
    }

    public static List<AdEvent> events(IsolationLevel isolation, String adId) {
        return records(Topics.AD_EVENTS, isolation, adId).stream()
                .map(record -> PipelineJson.read(record.value(), AdEvent.class))
                .toList();
    }

    public static Map<TopicPartition, Long> committedOffsets(String groupId) {
        return TopicReader.committedOffsets(INFRA.kafkaAdminConnection(), groupId, Topics.AD_CLICKS);
    }

    public static Map<TopicPartition, Long> endOffsets() {
        return TopicReader.endOffsets(INFRA.kafkaAdminConnection(), Topics.AD_CLICKS, IsolationLevel.READ_UNCOMMITTED);
    }
}
