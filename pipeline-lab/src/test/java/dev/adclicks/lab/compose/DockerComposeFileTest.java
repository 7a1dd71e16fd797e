package dev.adclicks.lab.compose;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code docker compose up} relies on to end in a working pipeline without a race, checked on
 * the file itself (no Docker engine needed). {@link DockerComposeWiringIT} starts the services with
 * the environment it gives them.
 */
class DockerComposeFileTest {

    private static final List<String> LONG_RUNNING = List.of("kafka", "mysql", "ad-click-producer", "ad-event-relay",
            "ad-event-sink", "pipeline-dashboard");

    private final ComposeFile compose = ComposeFile.read();

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        for (String service : LONG_RUNNING) {
            assertThat(compose.service(service)).as(service).containsKey("healthcheck");
            @SuppressWarnings("unchecked")
            Map<String, Object> healthcheck = (Map<String, Object>) compose.service(service).get("healthcheck");
            assertThat(healthcheck).as(service).containsKey("test");
        }
    }

    @Test
    void servicesWaitForHealthyDependenciesNotJustStartedOnes() {
        for (String service : compose.services().keySet()) {
            compose.dependsOn(service).forEach((dependency, condition) -> assertThat(condition)
                    .as(service + " -> " + dependency)
                    .isIn("service_healthy", "service_completed_successfully"));
        }
        assertThat(compose.dependsOn("ad-event-sink")).containsEntry("mysql", "service_healthy")
                .containsEntry("kafka-init", "service_completed_successfully");
        assertThat(compose.dependsOn("ad-event-relay")).containsEntry("kafka-init", "service_completed_successfully");
        assertThat(compose.dependsOn("kafka-init")).containsEntry("kafka", "service_healthy");
        assertThat(compose.dependsOn("pipeline-dashboard")).containsEntry("ad-click-producer", "service_healthy");
    }

    @Test
    void theDashboardIsToldWhereEveryServiceIsAndTheProducerKnowsNothingOfIt() {
        assertThat(compose.environment("pipeline-dashboard"))
                .containsEntry("DASHBOARD_PRODUCER_URL", "http://ad-click-producer:8081")
                .containsEntry("DASHBOARD_RELAY_URL", "http://ad-event-relay:8082")
                .containsEntry("DASHBOARD_SINK_URL", "http://ad-event-sink:8083")
                .containsKey("SPRING_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(compose.environment("ad-click-producer").keySet()).noneMatch(name -> name.startsWith("DASHBOARD_"));
    }

    @Test
    void kafkaInitCreatesExactlyThePipelinesTopicsWithTheirDeclaredPartitions() {
        String script = String.join("\n", compose.stringList("kafka-init", "command"));
        Matcher topics = Pattern.compile("for topic in ([^;]+);").matcher(script);
        Matcher partitions = Pattern.compile("--partitions (\\d+)").matcher(script);
        assertThat(topics.find()).as(script).isTrue();
        assertThat(partitions.find()).as(script).isTrue();
        assertThat(List.of(topics.group(1).trim().split("\\s+"))).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(Integer.parseInt(partitions.group(1))).isEqualTo(Topics.PARTITIONS);
    }

    @Test
    void theRelayCanBeScaledBecauseNothingInItIsFixedPerContainer() {
        Map<String, Object> relay = compose.service("ad-event-relay");
        // a fixed name, host port or transactional.id would collide (or fence) at --scale ad-event-relay=2
        assertThat(relay).doesNotContainKeys("container_name", "ports", "hostname");
        assertThat(compose.environment("ad-event-relay")).doesNotContainKeys("RELAY_INSTANCE_ID",
                "RELAY_TRANSACTIONAL_ID", "HOSTNAME");
    }

    @Test
    void theBrokerIsConfiguredForTransactionsOnASingleNode() {
        // any KAFKA_* variable discards the image's defaults: transactions then need these explicitly,
        // or initTransactions() times out waiting for a transaction log with 3 replicas
        assertThat(compose.environment("kafka"))
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsKeys("KAFKA_NODE_ID", "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS",
                        "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES");
    }

    @Test
    void theSinkRunsAsTheApplicationUserAndMigratesAsTheMigrator() {
        assertThat(compose.environment("ad-event-sink"))
                .containsEntry("SPRING_DATASOURCE_USERNAME", "adclicks_app")
                .containsEntry("SPRING_FLYWAY_USER", "adclicks_migrator");
    }
}
