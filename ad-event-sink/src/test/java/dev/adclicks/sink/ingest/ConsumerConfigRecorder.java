package dev.adclicks.sink.ingest;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Records the configuration of every KafkaConsumer it is installed in ({@code interceptor.classes}):
 * the consumer hands its interceptors the configuration it was built with, so a test can read the
 * settings a running consumer really has. Passes every record and commit through unchanged.
 */
public class ConsumerConfigRecorder implements ConsumerInterceptor<Object, Object> {

    private static final List<Map<String, Object>> CONFIGS = new CopyOnWriteArrayList<>();

    /** The effective configuration (defaults included) of each consumer built so far for {@code groupId}. */
    static List<Map<String, Object>> consumersOfGroup(String groupId) {
        return CONFIGS.stream()
                .filter(config -> groupId.equals(config.get(ConsumerConfig.GROUP_ID_CONFIG)))
                .map(config -> ConsumerConfig.configDef().parse(config))
                .toList();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        CONFIGS.add(Collections.unmodifiableMap(new HashMap<>(configs)));
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
