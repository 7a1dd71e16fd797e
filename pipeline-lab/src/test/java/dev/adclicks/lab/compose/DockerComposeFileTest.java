package dev.adclicks.lab.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.adclicks.infra.KafkaCredentials;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.KafkaAccess;
import dev.adclicks.lab.Pipeline;
import dev.adclicks.model.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code docker compose up} relies on to end in a working pipeline without a race, on a Kafka
 * cluster that loses no acknowledged click when a broker dies, checked on the file itself (no Docker
 * engine needed). {@link DockerComposeWiringIT} starts the services with the environment it gives
 * them.
 */
class DockerComposeFileTest {

    static final String CONTROLLER = "kafka-controller";
    static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    /** Every service that talks to Kafka. */
    static final List<String> KAFKA_CLIENTS = List.of("ad-click-producer", "ad-event-relay", "ad-event-sink",
            "ad-event-sink-2", "pipeline-dashboard");
    static final String ALL_BROKERS = "kafka-1:9092,kafka-2:9092,kafka-3:9092";
    /** docker/kafka (kafka-init's script, the admin's client settings), read-only, where the Kafka containers find it. */
    static final String KAFKA_FILES_MOUNT = "./docker/kafka:/etc/ad-clicks/kafka:ro";
    /** Each Kafka client service and the principal it runs as (one per service; the two sinks are one). */
    static final Map<String, String> PRINCIPALS = Map.of("ad-click-producer", KafkaAccess.PRODUCER,
            "ad-event-relay", KafkaAccess.RELAY, "ad-event-sink", KafkaAccess.SINK, "ad-event-sink-2", KafkaAccess.SINK,
            "pipeline-dashboard", KafkaAccess.DASHBOARD);
    static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required";

    private static final List<String> LONG_RUNNING = List.of(CONTROLLER, "kafka-1", "kafka-2", "kafka-3", "mysql",
            "ad-click-producer", "ad-event-relay", "ad-event-sink", "ad-event-sink-2", "pipeline-dashboard");

    private final ComposeFile compose = ComposeFile.read();

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        for (String service : LONG_RUNNING) {
            assertThat(compose.service(service)).as(service).containsKey("healthcheck");
            @SuppressWarnings("unchecked")
            Map<String, Object> healthcheck = (Map<String, Object>) compose.service(service).get("healthcheck");
            assertThat(healthcheck).as(service).containsKey("test");
        }
        // each broker checks itself, as admin, on the listener the services use; the controller, its quorum
        for (String broker : BROKERS) {
            assertThat(healthcheck(broker)).as(broker).containsExactly("CMD",
                    "/opt/kafka/bin/kafka-broker-api-versions.sh", "--bootstrap-server", "localhost:9092",
                    "--command-config", "/etc/ad-clicks/kafka/admin-client.properties");
            assertThat(compose.stringList(broker, "volumes")).as(broker).contains(KAFKA_FILES_MOUNT);
        }
        assertThat(healthcheck(CONTROLLER)).containsExactly("CMD", "/opt/kafka/bin/kafka-metadata-quorum.sh",
                "--bootstrap-controller", "localhost:9093", "describe", "--status");
    }

    @Test
    void servicesWaitForHealthyDependenciesNotJustStartedOnes() {
        for (String service : compose.services().keySet()) {
            compose.dependsOn(service).forEach((dependency, condition) -> assertThat(condition)
                    .as(service + " -> " + dependency)
                    .isIn("service_healthy", "service_completed_successfully"));
        }
        for (String broker : BROKERS) {
            assertThat(compose.dependsOn(broker)).as(broker).containsEntry(CONTROLLER, "service_healthy");
        }
        // the topics are created with three replicas: all three brokers must be up first
        assertThat(compose.dependsOn("kafka-init")).containsEntry("kafka-1", "service_healthy")
                .containsEntry("kafka-2", "service_healthy").containsEntry("kafka-3", "service_healthy");
        assertThat(compose.dependsOn("ad-event-sink")).containsEntry("mysql", "service_healthy")
                .containsEntry("kafka-init", "service_completed_successfully");
        assertThat(compose.dependsOn("ad-event-relay")).containsEntry("kafka-init", "service_completed_successfully");
        assertThat(compose.dependsOn("pipeline-dashboard")).containsEntry("ad-click-producer", "service_healthy");
    }

    @Test
    void theClusterIsOneControllerAndThreeBrokersWithDistinctNodeIdsAndOneClusterId() {
        Map<String, String> controller = compose.environment(CONTROLLER);
        assertThat(controller).containsEntry("KAFKA_PROCESS_ROLES", "controller")
                .containsEntry("KAFKA_LISTENERS", "CONTROLLER://:9093")
                .containsKeys("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_LOG_DIRS")
                // the apache/kafka image refuses advertised listeners on a controller-only node
                .doesNotContainKey("KAFKA_ADVERTISED_LISTENERS");
        String voters = controller.get("KAFKA_NODE_ID") + "@" + CONTROLLER + ":9093";
        Set<String> nodeIds = new HashSet<>(Set.of(controller.get("KAFKA_NODE_ID")));
        Set<String> volumes = new HashSet<>(compose.stringList(CONTROLLER, "volumes"));
        for (String broker : BROKERS) {
            Map<String, String> environment = compose.environment(broker);
            // any KAFKA_* variable discards the image's defaults: every node needs the whole KRaft set
            assertThat(environment).as(broker).containsEntry("KAFKA_PROCESS_ROLES", "broker")
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
                    .containsEntry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                    .containsEntry("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL")
                    .containsEntry("CLUSTER_ID", controller.get("CLUSTER_ID"))
                    .containsKeys("KAFKA_NODE_ID", "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS",
                            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_LOG_DIRS");
            assertThat(nodeIds.add(environment.get("KAFKA_NODE_ID"))).as(broker + " node id").isTrue();
            // its own data: a broker's log dir shared with another would be two brokers writing one log
            assertThat(volumes.addAll(compose.stringList(broker, "volumes").stream()
                    .filter(volume -> !volume.equals(KAFKA_FILES_MOUNT)).toList())).as(broker + " volume").isTrue();
        }
        assertThat(controller.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(voters);
        assertThat(nodeIds).hasSize(4);
    }

    @Test
    void eachBrokerAdvertisesItselfUnderItsServiceNameAndItsOwnHostPort() {
        Set<String> hostPorts = new HashSet<>();
        for (String broker : BROKERS) {
            Map<String, String> environment = compose.environment(broker);
            assertThat(compose.service(broker)).as(broker).containsEntry("hostname", broker);
            Matcher external = Pattern.compile("EXTERNAL://localhost:(\\d+)")
                    .matcher(environment.get("KAFKA_ADVERTISED_LISTENERS"));
            assertThat(external.find()).as(broker).isTrue();
            String port = external.group(1);
            // containers reach it by its service name; tools on the host at the port published for it
            assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS")).as(broker)
                    .isEqualTo("INTERNAL://" + broker + ":9092,EXTERNAL://localhost:" + port);
            assertThat(environment.get("KAFKA_LISTENERS")).as(broker)
                    .isEqualTo("INTERNAL://:9092,EXTERNAL://:" + port);
            assertThat(compose.stringList(broker, "ports")).as(broker).containsExactly(port + ":" + port);
            assertThat(hostPorts.add(port)).as(broker + " host port " + port).isTrue();
        }
    }

    @Test
    void everyKafkaClientIsGivenAllThreeBrokers() {
        for (String service : KAFKA_CLIENTS) {
            assertThat(compose.environment(service)).as(service)
                    .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", ALL_BROKERS);
        }
        assertThat(compose.environment("kafka-init")).containsEntry("BOOTSTRAP_SERVERS", ALL_BROKERS);
        List<String> bootstrapLists = new ArrayList<>();
        Matcher bootstrap = Pattern.compile("--bootstrap-server (\\S+)").matcher(kafkaInitScript());
        while (bootstrap.find()) {
            bootstrapLists.add(bootstrap.group(1));
        }
        assertThat(bootstrapLists).isNotEmpty().containsOnly("\"$servers\"");
        assertThat(kafkaInitScript()).contains("servers=$BOOTSTRAP_SERVERS");
    }

    @Test
    void everyTopicTheInternalOnesIncludedHasThreeReplicasAndTakesWritesOnlyWithTwoInSync() {
        for (String node : allKafkaNodes()) {
            // the controller too: in KRaft it creates the topics and elects their leaders, with its own defaults
            assertThat(compose.environment(node)).as(node)
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false")
                    .containsEntry("KAFKA_NUM_PARTITIONS", String.valueOf(Topics.PARTITIONS));
        }
        for (String broker : BROKERS) {
            // without the transaction-log settings on every broker, initTransactions() cannot complete
            assertThat(compose.environment(broker)).as(broker)
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "2")
                    .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        }
        assertThat(compose.environment("kafka-init")).containsEntry("TOPIC_REPLICATION_FACTOR", "3")
                .containsEntry("TOPIC_MIN_INSYNC_REPLICAS", "2");
        assertThat(kafkaInitScript()).contains("--replication-factor \"$TOPIC_REPLICATION_FACTOR\"")
                .contains("--config \"min.insync.replicas=$TOPIC_MIN_INSYNC_REPLICAS\"");
        // a service that creates a topic (kafka-init has, before any starts) creates it like kafka-init
        ComposeServices.REPLICATION_FACTOR_PROPERTIES.forEach((service, property) -> assertThat(
                compose.environment(service)).as(service).containsEntry(ComposeFile.environmentVariable(property), "3"));
    }

    /**
     * Every listener a client can reach takes only SCRAM-authenticated clients, and every node
     * authorizes against ACLs (no ACL, no access) with admin the only super user a client can be.
     * The listener to the controller stays unauthenticated: no port of the controller is published.
     */
    @Test
    void everyBrokerListenerAuthenticatesAndEveryNodeAuthorizes() throws IOException {
        String adminPassword = compose.environment(CONTROLLER).get("CLUSTER_ADMIN_PASSWORD");
        assertThat(adminPassword).isNotBlank();
        String adminLogin = SCRAM_LOGIN + " username=\"admin\" password=\"" + adminPassword + "\";";
        for (String broker : BROKERS) {
            assertThat(compose.environment(broker)).as(broker)
                    .containsEntry("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                            "CONTROLLER:PLAINTEXT,INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT")
                    .containsEntry("KAFKA_SASL_ENABLED_MECHANISMS", KafkaCredentials.MECHANISM)
                    .containsEntry("KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL", KafkaCredentials.MECHANISM)
                    .containsEntry("KAFKA_LISTENER_NAME_INTERNAL_SCRAM___SHA___512_SASL_JAAS_CONFIG", adminLogin)
                    .containsEntry("KAFKA_LISTENER_NAME_EXTERNAL_SCRAM___SHA___512_SASL_JAAS_CONFIG", SCRAM_LOGIN + ";")
                    .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME", STANDARD_AUTHORIZER)
                    .containsEntry("KAFKA_SUPER_USERS", "User:admin")
                    .doesNotContainKey("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND");
        }
        // the brokers reach the controller as User:ANONYMOUS, a super user there only
        assertThat(compose.environment(CONTROLLER))
                .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME", STANDARD_AUTHORIZER)
                .containsEntry("KAFKA_SUPER_USERS", "User:admin;User:ANONYMOUS")
                .doesNotContainKey("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND");
        assertThat(compose.service(CONTROLLER)).doesNotContainKey("ports");
        // admin is formatted into the metadata log with the password the brokers and kafka-init use
        assertThat(String.join("\n", compose.stringList(CONTROLLER, "command")))
                .contains("--add-scram \"SCRAM-SHA-512=[name=admin,password=$$CLUSTER_ADMIN_PASSWORD]\"")
                .contains("--ignore-formatted").contains("exec /etc/kafka/docker/run");
        assertThat(compose.environment("kafka-init")).containsEntry("CLUSTER_ADMIN_PASSWORD", adminPassword);
        assertThat(Files.readString(KafkaInitScriptIT.SCRIPT.resolveSibling("admin-client.properties")))
                .contains("sasl.jaas.config=" + adminLogin).contains("security.protocol=SASL_PLAINTEXT")
                .contains("sasl.mechanism=" + KafkaCredentials.MECHANISM);
    }

    /**
     * Each service authenticates as its own principal, with the password kafka-init gives that
     * principal; no two principals share a password.
     */
    @Test
    void everyKafkaClientIsItsOwnPrincipalWithThePasswordKafkaInitGivesIt() {
        Map<String, String> init = compose.environment("kafka-init");
        Set<String> passwords = new HashSet<>(Set.of(init.get("CLUSTER_ADMIN_PASSWORD")));
        for (String service : KAFKA_CLIENTS) {
            Map<String, String> environment = compose.environment(service);
            assertThat(environment).as(service).containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", KafkaCredentials.MECHANISM);
            KafkaCredentials credentials = compose.kafkaCredentials(service);
            assertThat(credentials.username()).as(service).isEqualTo(PRINCIPALS.get(service));
            String variable = credentials.username().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PASSWORD";
            assertThat(init).as("kafka-init: " + variable).containsEntry(variable, credentials.password());
            assertThat(kafkaInitScript()).contains("user " + credentials.username() + " \"$" + variable + "\"");
            if (!service.equals("ad-event-sink-2")) {
                assertThat(passwords.add(credentials.password())).as(service + "'s password is its own").isTrue();
            }
        }
    }

    @Test
    void aBrokerThatStopsHeartbeatingIsFencedAfterSixSeconds() {
        // the controller fences it and moves the leadership of its partitions within the session timeout
        assertThat(compose.environment(CONTROLLER)).containsEntry("KAFKA_BROKER_SESSION_TIMEOUT_MS", "6000");
        for (String broker : BROKERS) {
            assertThat(compose.environment(broker)).as(broker)
                    .containsEntry("KAFKA_BROKER_HEARTBEAT_INTERVAL_MS", "1000");
        }
    }

    @Test
    void everyBrokerAcceptsAndEnforcesTheLabsGroupSessionTimeout() {
        // a dead relay's or sink's partitions move after the lab's session timeout, on either group protocol
        String session = String.valueOf(PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toMillis());
        String heartbeat = String.valueOf(PipelineInfrastructure.GROUP_HEARTBEAT_INTERVAL.toMillis());
        for (String broker : BROKERS) {
            assertThat(compose.environment(broker)).as(broker)
                    .containsEntry("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", session)
                    .containsEntry("KAFKA_GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS", session)
                    .containsEntry("KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS", session)
                    .containsEntry("KAFKA_GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS", heartbeat)
                    .containsEntry("KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS", heartbeat);
        }
    }

    @Test
    void everyBrokerAbortsATimedOutTransactionWithinASecondAsTheLabsDo() {
        // a dead relay's open transaction holds back the sinks until it is aborted
        for (String broker : BROKERS) {
            assertThat(compose.environment(broker)).as(broker).containsEntry(
                    "KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS",
                    String.valueOf(PipelineInfrastructure.TIMED_OUT_TRANSACTION_CHECK.toMillis()));
        }
    }

    @Test
    void theDashboardIsToldWhereEveryServiceIsAndTheProducerKnowsNothingOfIt() {
        assertThat(compose.environment("pipeline-dashboard"))
                .containsEntry("DASHBOARD_PRODUCER_URL", "http://ad-click-producer:8081")
                .containsEntry("DASHBOARD_PRODUCER_MANAGEMENTURL", "http://ad-click-producer:9081")
                .containsEntry("DASHBOARD_RELAY_MANAGEMENTURL", "http://ad-event-relay:9082")
                .containsEntry("DASHBOARD_SINK_URL", "http://ad-event-sink:8083")
                .containsEntry("DASHBOARD_SINK_MANAGEMENTURL", "http://ad-event-sink:9083")
                .containsKey("SPRING_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(compose.environment("ad-click-producer").keySet()).noneMatch(name -> name.startsWith("DASHBOARD_"));
    }

    /**
     * Health details, metrics and Prometheus are on each service's management port (its
     * application.yml's management.server.port): reachable on the compose network (healthcheck,
     * dashboard), never published on the host like the public ports.
     */
    @Test
    void actuatorAnswersOnEachServicesManagementPortWhichIsNeverPublished() throws IOException {
        Map<String, String> modules = Map.of("ad-click-producer", "ad-click-producer", "ad-event-relay", "ad-event-relay",
                "ad-event-sink", "ad-event-sink", "ad-event-sink-2", "ad-event-sink",
                "pipeline-dashboard", "pipeline-dashboard");
        for (Map.Entry<String, String> service : modules.entrySet()) {
            String port = managementPort(service.getValue());
            assertThat(compose.stringList(service.getKey(), "expose")).as(service.getKey()).contains(port);
            Object published = compose.service(service.getKey()).getOrDefault("ports", List.of());
            assertThat((List<?>) published).as(service.getKey()).noneMatch(p -> p.toString().contains(port));
            assertThat(String.valueOf(compose.service(service.getKey()).get("healthcheck"))).as(service.getKey())
                    .contains("http://localhost:" + port + "/actuator/health");
        }
    }

    /** management.server.port in the module's application.yml. */
    @SuppressWarnings("unchecked")
    private static String managementPort(String module) throws IOException {
        Path yml = ComposeFile.PATH.toAbsolutePath().getParent().resolve(module + "/src/main/resources/application.yml");
        try (java.io.Reader reader = Files.newBufferedReader(yml)) {
            Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load(reader);
            Map<String, Object> management = (Map<String, Object>) config.get("management");
            return String.valueOf(((Map<String, Object>) management.get("server")).get("port"));
        }
    }

    @Test
    void kafkaInitCreatesExactlyThePipelinesTopicsWithTheirDeclaredPartitions() {
        String script = kafkaInitScript();
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
    void everyLongRunningContainerComesBackByItselfWhenItsProcessDies() {
        for (String service : LONG_RUNNING) {
            assertThat(compose.service(service)).as(service).containsEntry("restart", "unless-stopped");
        }
    }

    @Test
    void theSecondSinkIsTheFirstsTwinInTheSameGroupWithoutAHostPort() {
        // the same image, environment (group ad-event-sink, database users) and health check: a dead
        // sink's partitions move to its twin; only the first publishes 8083 on the host
        assertThat(compose.environment("ad-event-sink-2")).isEqualTo(compose.environment("ad-event-sink"));
        assertThat(compose.service("ad-event-sink-2").get("image")).isEqualTo(compose.service("ad-event-sink").get("image"));
        assertThat(compose.service("ad-event-sink-2").get("healthcheck"))
                .isEqualTo(compose.service("ad-event-sink").get("healthcheck"));
        assertThat((List<?>) compose.service("ad-event-sink-2").get("ports")).isEmpty();
        // relay and sinks leave a dead member's partitions waiting as long as in the lab, not 45 s
        for (String consumer : List.of("ad-event-relay", "ad-event-sink", "ad-event-sink-2")) {
            assertThat(compose.environment(consumer)).as(consumer)
                    .containsEntry("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS",
                            String.valueOf(PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toMillis()))
                    .containsEntry("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS",
                            String.valueOf(PipelineInfrastructure.GROUP_HEARTBEAT_INTERVAL.toMillis()));
        }
    }

    @Test
    void twoRelayReplicasShareTheWorkWithNeitherAContainerNameNorAHostPort() {
        // as in the lab (Pipeline.DEFAULT_RELAYS): a killed relay stalls only its own partitions;
        // a fixed name or host port would keep the second replica from starting
        Map<String, Object> relay = compose.service("ad-event-relay");
        assertThat(((Map<?, ?>) relay.get("deploy")).get("replicas")).isEqualTo(Pipeline.DEFAULT_RELAYS);
        assertThat(relay).doesNotContainKeys("container_name", "ports");
        assertThat(compose.environment("ad-event-relay")).doesNotContainKeys("RELAY_INSTANCE_ID", "RELAY_INSTANCEID");
    }

    @Test
    void theSinkRunsAsTheApplicationUserAndMigratesAsTheMigrator() {
        assertThat(compose.environment("ad-event-sink"))
                .containsEntry("SPRING_DATASOURCE_USERNAME", "adclicks_app")
                .containsEntry("SPRING_FLYWAY_USER", "adclicks_migrator");
    }

    static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private List<String> allKafkaNodes() {
        List<String> nodes = new ArrayList<>(List.of(CONTROLLER));
        nodes.addAll(BROKERS);
        return nodes;
    }

    /** kafka-init's script: the file compose mounts and runs in the kafka-init container. */
    private String kafkaInitScript() {
        assertThat(compose.stringList("kafka-init", "entrypoint"))
                .containsExactly("/bin/sh", "/etc/ad-clicks/kafka/kafka-init.sh");
        assertThat(compose.stringList("kafka-init", "volumes")).containsExactly(KAFKA_FILES_MOUNT);
        try {
            return Files.readString(KafkaInitScriptIT.SCRIPT);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> healthcheck(String service) {
        @SuppressWarnings("unchecked")
        Map<String, Object> healthcheck = (Map<String, Object>) compose.service(service).get("healthcheck");
        @SuppressWarnings("unchecked")
        List<Object> test = (List<Object>) healthcheck.get("test");
        return test.stream().map(String::valueOf).toList();
    }
}
