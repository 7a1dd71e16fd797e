package dev.adclicks.relay.transaction;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Builds the relay's consumer and transactional producer. Connection settings come from
 * {@code spring.kafka.*}; every setting a guarantee depends on is set here, over whatever the
 * configuration says, with the failure window it closes. (The comparison lab's
 * {@code NonTransactionalRelay} uses the same consumer, with a plain producer of its own.)
 */
@Component
public class RelayKafkaClients {

    private final KafkaProperties kafka;
    private final RelayProperties relay;

    public RelayKafkaClients(KafkaProperties kafka, RelayProperties relay) {
        this.kafka = kafka;
        this.relay = relay;
    }

    public KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, relay.groupId());
        // The relay commits its offsets itself, in exactly-once mode only by sendOffsetsToTransaction():
        // an auto-commit would record input as done whose outputs were never committed (window: crash
        // between send and commit).
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never read records of aborted or still-open transactions upstream.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, relay.maxPollRecords());
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public KafkaProducer<String, byte[]> transactionalProducer() {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        // Stable per instance: a restarted instance fences its previous incarnation (zombie) and
        // aborts the transaction it left open, so read_committed readers are not held up.
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, relay.transactionalId());
        // Transactions require the idempotent producer (PID + sequence numbers, acks=all): a batch
        // resent after a lost ack is not appended twice inside the transaction either.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // A paused or cut-off instance's open transaction is aborted by the broker after this long.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) relay.transactionTimeout().toMillis());
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
