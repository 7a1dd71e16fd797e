package dev.adclicks.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;

import dev.adclicks.infra.RealServers;

/**
 * The settings guard 3 depends on are pinned in code ({@link SinkKafkaConfiguration}): a sink started
 * with every property that would weaken them still runs its listener with the guard's settings. The
 * consumer's settings are read from the running consumer itself ({@link ConsumerConfigRecorder}),
 * the ack mode from the running container. (An environment variable such as
 * {@code SPRING_KAFKA_CONSUMER_ISOLATION_LEVEL} sets the same property as the ones below.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        // what would weaken the guard, both as Boot's own properties and as raw Kafka client settings
        "spring.kafka.consumer.isolation-level=read_uncommitted",
        "spring.kafka.consumer.properties.isolation.level=read_uncommitted",
        "spring.kafka.consumer.enable-auto-commit=true",
        "spring.kafka.consumer.properties.enable.auto.commit=true",
        "spring.kafka.consumer.auto-offset-reset=latest",
        "spring.kafka.consumer.properties.auto.offset.reset=latest",
        // AckMode RECORD would not even start with a batch listener; TIME starts, and holds back commits
        "spring.kafka.listener.ack-mode=time",
        "spring.kafka.listener.ack-time=1h",
        // its own consumer group, so it takes no partition from the sink of the other tests in this JVM
        // (it reads ad-events from the oldest record, as pinned, and finds their events stored)
        "spring.kafka.consumer.group-id=" + PinnedGuardSettingsIT.GROUP,
        "spring.kafka.consumer.properties.interceptor.classes=dev.adclicks.sink.ingest.ConsumerConfigRecorder",
})
@Import(RealServers.class)
@DirtiesContext
class PinnedGuardSettingsIT {

    static final String GROUP = "pinned-guard-settings-it";

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Test
    void theConsumerReadsOnlyCommittedTransactionsWhateverThePropertiesSay() {
        assertThat(runningConsumers()).extracting(config -> config.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
                .containsOnly("read_committed");
    }

    @Test
    void theConsumerNeverCommitsOffsetsByItselfWhateverThePropertiesSay() {
        assertThat(runningConsumers()).extracting(config -> config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG))
                .containsOnly(false);
    }

    @Test
    void aGroupWithoutCommittedOffsetsStartsAtTheOldestEventWhateverThePropertiesSay() {
        assertThat(runningConsumers()).extracting(config -> config.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))
                .containsOnly("earliest");
    }

    @Test
    void offsetsAreCommittedRightAfterEachBatchIsStoredWhateverThePropertiesSay() {
        MessageListenerContainer container = listeners.getListenerContainer("ad-event-sink");

        assertThat(container.isRunning()).isTrue();
        assertThat(container.getContainerProperties().getAckMode()).isEqualTo(AckMode.BATCH);
    }

    /** The effective configuration of each consumer the sink's listener container has built. */
    private static List<Map<String, Object>> runningConsumers() {
        await().atMost(Duration.ofSeconds(60)).until(() -> !ConsumerConfigRecorder.consumersOfGroup(GROUP).isEmpty());
        return ConsumerConfigRecorder.consumersOfGroup(GROUP);
    }
}
