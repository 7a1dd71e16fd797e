package dev.adclicks.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.adclicks.relay.transaction.FencingAtLaunch;

/**
 * Reads {@code ad-clicks}, prices each click and writes {@code ad-events} — outputs and consumed
 * offsets in one Kafka transaction. The whole loop is in
 * {@link dev.adclicks.relay.transaction.TransactionalRelay}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdEventRelayApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The packaged service's application, as {@link #main} runs it. */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(AdEventRelayApplication.class);
        // the relay's first initTransactions() begins once the configuration is read, before any bean
        FencingAtLaunch.addTo(application);
        return application;
    }
}
