package dev.adclicks.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Reads {@code ad-clicks}, prices each click and writes {@code ad-events} — outputs and consumed
 * offsets in one Kafka transaction. The whole loop is in
 * {@link dev.adclicks.relay.transaction.TransactionalRelay}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdEventRelayApplication {

    public static void main(String[] args) {
        SpringApplication.run(AdEventRelayApplication.class, args);
    }
}
