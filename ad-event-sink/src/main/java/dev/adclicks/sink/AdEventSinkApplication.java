package dev.adclicks.sink;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Stores the priced events of {@code ad-events} in MySQL exactly once (guard 3 of the pipeline).
 *
 * <p>Read it in this order: {@link dev.adclicks.sink.ingest.AdEventBatchListener} (one poll, one
 * DB transaction, then the offset commit), {@link dev.adclicks.sink.store.InsertIfAbsentEventWriter}
 * (duplicates found by click_id, UNIQUE(click_id) as the backstop, aggregates only from inserted rows),
 * {@link dev.adclicks.sink.ingest.SinkKafkaConfiguration} (the consumer and container settings the guard
 * depends on, pinned in code; a failed batch retried forever instead of skipped).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdEventSinkApplication {

    public static void main(String[] args) {
        SpringApplication.run(AdEventSinkApplication.class, args);
    }
}
