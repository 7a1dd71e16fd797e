package dev.adclicks.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Gives every service a {@link DeliverySemantics} bean, read from its active profiles, and says at
 * start-up which semantics it runs with: INFO for exactly-once, WARN for a comparison mode.
 */
@AutoConfiguration
public class DeliverySemanticsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliverySemanticsAutoConfiguration.class);

    @Bean
    DeliverySemantics deliverySemantics(Environment environment) {
        DeliverySemantics semantics = DeliverySemantics.active(environment);
        String service = environment.getProperty("spring.application.name", "service");
        if (semantics.isComparisonMode()) {
            log.warn("{} {}", service, semantics.startupMessage());
        }
        else {
            log.info("{} {}", service, semantics.startupMessage());
        }
        return semantics;
    }
}
