package dev.adclicks.producer.comparison;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.stereotype.Component;


import dev.adclicks.delivery.DeliverySemantics;

/**
 * EXISTS ONLY FOR THE COMPARISON LAB. Never active in the default, exactly-once mode: without
 * one of the Spring profiles {@code at-least-once} or {@code at-most-once} this bean does not
 * exist. Copy {@code dev.adclicks.producer.clicks.IdempotentProducerConfig}, not this.
 *
 * <p>Takes the guard's producer factory as {@code dev.adclicks.producer.clicks.IdempotentProducerConfig} built it and overrides
 * the delivery settings afterwards, so the guard class stays the one place of the exactly-once
 * settings. Connection settings and timeouts stay as they are.
 * <ul>
 * <li>at-least-once: no idempotence, {@code acks=1}, retries on (bounded by {@code delivery.timeout.ms}),
 * 5 in flight. A batch whose ack was lost is resent and appended again: duplicates; a leader that
 * dies before its followers copied an acked record loses it.</li>
 * <li>at-most-once: no idempotence, {@code acks=0}, no retries. The producer does not wait for the
 * broker at all: 202 means "handed to the socket"; what the broker never got is gone.</li>
 * </ul>
 */
@Component
@Profile("at-least-once | at-most-once")
class WeakerDeliveryForComparison implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(WeakerDeliveryForComparison.class);

    private final DeliverySemantics semantics;

    WeakerDeliveryForComparison(Environment environment) {
        this.semantics = DeliverySemantics.active(environment);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DefaultKafkaProducerFactory<?, ?> factory) {
            Map<String, Object> overrides = semantics.producerOverrides();
            factory.updateConfigs(overrides);
            log.warn("COMPARISON MODE {}: producer factory '{}' weakened after IdempotentProducerConfig: {}",
                    semantics, beanName, overrides);
        }
        return bean;
    }
}
