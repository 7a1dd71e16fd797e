package dev.adclicks.lab.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The practical limit of this broker here: consume and produce the same bytes, no parsing, no
 * transaction, offsets committed asynchronously after each poll. Nothing a pipeline could do
 * between a topic and a topic is cheaper. Its clients batch as the relays' do (polls of up to
 * 20,000 records, fetches of at least 64 KB, producer batches of 64 KB): with the clients' defaults
 * (500 records, 16 KB) both relays outran it on 2026-12-02 (docs/performance.md).
 */
final class PlainCopy implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    /** In a JVM of its own ({@link PeerProcess}): bootstrap servers, input, output, group; until SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        PlainCopy copy = new PlainCopy(args[0], args[1], args[2], args[3]);
        Runtime.getRuntime().addShutdownHook(new Thread(copy::close));
        copy.thread.join();
    }

    PlainCopy(String bootstrapServers, String input, String output, String group) {
        this.thread = new Thread(() -> run(bootstrapServers, input, output, group), "plain-copy");
        thread.start();
    }

    private void run(String bootstrapServers, String input, String output, String group) {
        Map<String, Object> consumerConfig = PeerProcess.clientProperties(bootstrapServers);
        consumerConfig.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100));
        Map<String, Object> producerConfig = PeerProcess.clientProperties(bootstrapServers);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "plain-copy");
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            consumer.subscribe(List.of(input));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    producer.send(new ProducerRecord<>(output, record.key(), record.value()));
                }
                consumer.commitAsync();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
