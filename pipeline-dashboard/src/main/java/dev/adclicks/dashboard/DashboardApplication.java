package dev.adclicks.dashboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The dashboard: a live page ({@code /}) of every stage of the pipeline, and a demo button that
 * sends clicks through the producer's public HTTP API. It reads the pipeline from outside, the way
 * an operator would: the services' {@code /actuator/pipeline}, the sink's {@code /api/stats}, and
 * Kafka's offsets and cluster state (brokers, leaders, ISRs). It holds no guarantee itself; the
 * pipeline runs the same without it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DashboardApplication {

    public static void main(String[] args) {
        SpringApplication.run(DashboardApplication.class, args);
    }
}
