package dev.adclicks.lab.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.adclicks.lab.ClickLoad;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;
import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.TopicAdmin;

/** Creates the benchmark's topics and fills them before anything is measured. */
final class BenchTopics {

    private static final List<String> CAMPAIGNS = List.copyOf(new TreeSet<>(ClickLoad.CAMPAIGN_PRICES.keySet()));

    private BenchTopics() {
    }

    /**
     * The pipeline's topics and the benchmark's own, as the pipeline declares its topics
     * ({@link Topics}), as {@code kafka}'s principal (the admin).
     */
    static void create(KafkaConnection kafka, String... topics) {
        TopicAdmin.createIfAbsent(kafka, Topics.declarations(List.of(topics), (short) 1));
    }

    /** {@code count} valid clicks (~165 B of JSON each), keyed by adId. Returns the clicks/s of the fill. */
    static double fillClicks(KafkaConnection kafka, String topic, int count) {
        Random random = new Random(42);
        return fill(kafka, topic, count, i -> {
            AdClick click = click(random, i);
            return new ProducerRecord<>(topic, click.adId(), PipelineJson.write(click));
        });
    }

    /**
     * {@code distinct} priced events, then {@code duplicateShare} of them once more (the same event,
     * as a redelivery or a client's re-send would bring it), interleaved at random.
     */
    static double fillEvents(KafkaConnection kafka, String topic, int distinct, double duplicateShare) {
        Random random = new Random(7);
        List<AdEvent> events = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            AdClick click = click(random, i);
            events.add(new AdEvent(click.clickId(), click.adId(), click.campaignId(), click.userId(),
                    click.occurredAt(), ClickLoad.CAMPAIGN_PRICES.get(click.campaignId()), Instant.now()));
        }
        int duplicates = (int) Math.round(distinct * duplicateShare);
        List<AdEvent> records = new ArrayList<>(events);
        for (int i = 0; i < duplicates; i++) {
            // a duplicate comes after its original, as a redelivery does
            int original = random.nextInt(distinct);
            int at = original + 1 + random.nextInt(records.size() - original);
            records.add(Math.min(at, records.size()), events.get(original));
        }
        return fill(kafka, topic, records.size(), i -> {
            AdEvent event = records.get(i);
            return new ProducerRecord<>(topic, event.adId(), PipelineJson.write(event));
        });
    }

    /**
     * Time-ordered clickIds, as the producer assigns them (version 7: a millisecond timestamp first),
     * one millisecond apart per 10 clicks.
     */
    private static UUID timeOrderedId(Random random, int i) {
        long millis = 1_790_000_000_000L + i / 10;
        long mostSignificant = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    static AdClick click(Random random, int i) {
        return new AdClick(timeOrderedId(random, i), "bench-ad-" + (i % 200),
                CAMPAIGNS.get(random.nextInt(CAMPAIGNS.size())), "user-" + random.nextInt(100_000),
                Instant.now().minusSeconds(random.nextInt(3_600)));
    }

    private static double fill(KafkaConnection kafka, String topic, int count,
            IntFunction<ProducerRecord<String, byte[]>> record) {
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "bench-fill")), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(record.apply(i));
            }
            producer.flush();
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
