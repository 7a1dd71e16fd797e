package dev.adclicks.producer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Accepts ad clicks over HTTP and writes them to {@code ad-clicks} with the idempotent producer
 * (guard 1 of the pipeline). Everything lives in the {@code clicks} feature package; the producer
 * settings that make the guarantee are all in {@code IdempotentProducerConfig}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdClickProducerApplication {

    public static void main(String[] args) {
        SpringApplication.run(AdClickProducerApplication.class, args);
    }
}
