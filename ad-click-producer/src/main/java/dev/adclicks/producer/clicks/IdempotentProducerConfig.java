package dev.adclicks.producer.clicks;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.ProducerFactory;

import dev.adclicks.model.AdClick;
import dev.adclicks.model.PipelineJson;

/**
 * Guard 1 of the pipeline, in one place: the producer that writes {@code ad-clicks}.
 *
 * <p>Connection settings (bootstrap servers, security, client id...) come from {@code spring.kafka.*}
 * as usual; the settings that make the delivery guarantee are set here explicitly and win over
 * anything in {@code application.yml}, so no property file can quietly weaken them.
 *
 * <p>What this buys: a record the broker has acknowledged is in the log exactly once, even when
 * the producer had to resend it. What it cannot buy: when the acknowledgement never reaches the
 * HTTP client (503, timeout, crash), the client retries with the same clickId and Kafka gets a
 * second record. That duplicate is removed downstream: the sink finds its clickId already stored and skips it
 * (UNIQUE(click_id) is the backstop).
 *
 * <p>(Only for the comparison lab, the profiles {@code at-least-once} and {@code at-most-once}
 * weaken these settings afterwards, in
 * {@link dev.adclicks.producer.comparison.WeakerDeliveryForComparison}; in the default
 * exactly-once mode that class does not exist.)
 */
@Configuration(proxyBeanMethods = false)
class IdempotentProducerConfig {

    private static final Logger log = LoggerFactory.getLogger(IdempotentProducerConfig.class);

    @Bean
    DefaultKafkaProducerFactory<String, AdClick> clickProducerFactory(
            KafkaProperties kafkaProperties, ClicksProperties clicks, MeterRegistry meterRegistry) {

        Map<String, Object> config = new HashMap<>(kafkaProperties.buildProducerProperties());

        // Window closed: the broker appended a batch but its ack was lost, so the producer resends it.
        // With idempotence the producer has a producer id (PID) and numbers each batch per partition;
        // the broker recognises the resent sequence number and does not append the batch twice.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);

        // Window closed: the partition leader acked and then died before followers copied the record,
        // and the new leader never had it. With all, the ack means every in-sync replica has it.
        // (Idempotence requires acks=all; Kafka refuses to start the producer otherwise.)
        config.put(ProducerConfig.ACKS_CONFIG, "all");

        // Window closed: a transient error (leader election, network blip) fails the send although a
        // retry would succeed. Retries are safe because of idempotence, and are bounded by time
        // (delivery.timeout.ms below), not by count.
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);

        // Window closed: with several batches in flight, batch 1 fails and is retried after batch 2
        // succeeded, reordering the partition. The broker keeps sequence state for at most 5 in-flight
        // batches per partition, so up to 5 keeps order with idempotence; more is refused.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);

        // Window closed: a record retried forever while the HTTP client has long given up. After
        // delivery.timeout.ms the producer fails the future itself, so the request gets a definite
        // "not acknowledged" (503) before clicks.ack-timeout; ClicksProperties checks they fit.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.toIntExact(clicks.producer().deliveryTimeout().toMillis()));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(clicks.producer().requestTimeout().toMillis()));

        // Window closed: a request thread stuck in send() while the broker is down. send() blocks for
        // metadata (and buffer space) up to max.block.ms, which the default would make 60 s.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, clicks.producer().maxBlock().toMillis());

        // Keys are adIds (all clicks of an ad on one partition, in order); values are the pipeline's
        // shared JSON, given as an instance below, so any class name from spring.kafka.* is dropped.
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

        DefaultKafkaProducerFactory<String, AdClick> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), PipelineJson.<AdClick>serializer());
        factory.addListener(new MicrometerProducerListener<>(meterRegistry));

        log.info("Idempotent producer for ad-clicks: bootstrap.servers={}, enable.idempotence=true, acks=all, "
                        + "retries={}, max.in.flight.requests.per.connection=5, delivery.timeout.ms={}, "
                        + "request.timeout.ms={}, max.block.ms={}",
                config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), Integer.MAX_VALUE,
                config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG),
                config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        return factory;
    }

    @Bean
    KafkaTemplate<String, AdClick> clickKafkaTemplate(ProducerFactory<String, AdClick> clickProducerFactory) {
        KafkaTemplate<String, AdClick> template = new KafkaTemplate<>(clickProducerFactory);
        // IdempotentClickPublisher logs every failed send once, with its reason and clickId; the default
        // LoggingProducerListener would log it again at ERROR, with the whole click (a userId) in it
        template.setProducerListener(null);
        // Tracing is IdempotentClickPublisher's: it writes the request's traceparent into each record,
        // and observes each send only while the click-journey log is on (the template's own observation,
        // off here, would open a span per record; Boot's spring.kafka.template.observation-enabled only
        // reaches Boot's own template, not one defined here)
        return template;
    }
}
