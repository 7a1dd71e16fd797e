package dev.adclicks.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds {@code pipeline.delivery} for every service and says at start-up which semantics it runs
 * with: INFO for exactly-once, WARN for a comparison mode.
 */
@AutoConfiguration
@EnableConfigurationProperties(PipelineProperties.class)
public class DeliverySemanticsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliverySemanticsAutoConfiguration.class);

    @Bean
    InitializingBean deliverySemanticsLog(PipelineProperties pipeline, Environment environment) {
        return () -> {
            String service = environment.getProperty("spring.application.name", "service");
            if (pipeline.delivery().isComparisonMode()) {
                log.warn("{} {}", service, pipeline.delivery().startupMessage());
            }
            else {
                log.info("{} {}", service, pipeline.delivery().startupMessage());
            }
        };
    }
}
