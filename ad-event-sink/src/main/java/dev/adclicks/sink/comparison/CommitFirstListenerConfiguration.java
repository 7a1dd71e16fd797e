package dev.adclicks.sink.comparison;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/**
 * EXISTS ONLY FOR THE COMPARISON LAB ({@code at-most-once}): the container of
 * {@link CommitFirstBatchListener}. The same consumer as the exactly-once container's (read_committed,
 * no auto-commit: pinned in {@link dev.adclicks.sink.ingest.SinkKafkaConfiguration}), a batch listener,
 * {@code spring.kafka.listener.*} as usual, except:
 * <ul>
 * <li>AckMode MANUAL_IMMEDIATE with synchronous commits: {@code acknowledge()} commits the batch's
 * offsets at once, on the consumer thread, before the listener goes on to the DB write;</li>
 * <li>a logging error handler instead of the retry-forever one: nothing is retried.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@Profile("at-most-once")
class CommitFirstListenerConfiguration {

    static final String CONTAINER_FACTORY = "commitFirstContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> commitFirstContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumerFactory) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumerFactory);
        factory.getContainerProperties().setAckMode(AckMode.MANUAL_IMMEDIATE);
        factory.getContainerProperties().setSyncCommits(true);
        factory.setCommonErrorHandler(new CommonLoggingErrorHandler());
        return factory;
    }
}
