package dev.adclicks.lab.compose;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.adclicks.infra.Backend;
import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.lab.KafkaAccess;
import dev.adclicks.lab.Pipeline;
import dev.adclicks.lab.ServiceProcess;

/**
 * The services of {@code docker-compose.yml}, without Docker: each one started from its jar with the
 * environment variables the compose file gives its container, and MySQL initialised by the same
 * script the mysql container runs. Host names are mapped to the local backend ({@code mysql:3306}
 * to MariaDB, {@code ad-event-relay:9082} and the other services' names and ports, public and
 * management, to their ports here), and
 * {@link #singleBrokerOverrides two kinds of variable are replaced}, because compose runs a
 * three-broker cluster and here there is one local broker: the bootstrap list, which names the three
 * brokers, by that broker; and each service's replication factor, 3 in compose, by 1, since a single
 * broker cannot hold three replicas of a partition. The broker authenticates and authorizes as
 * compose's do: before the services start, kafka-init's work is done as the lab does it
 * ({@link KafkaAccess#provision}: the topics, the ACLs), each user created with the password its
 * service's compose environment gives it ({@link KafkaInitScriptIT} holds kafka-init's script to
 * the same). The relay runs as many replicas as compose's {@code deploy.replicas}, each with a
 * HOSTNAME of its own, as Docker gives each container (or fewer, if a test asks); the dashboard's
 * {@code ad-event-relay:9082} is mapped to the first (Docker's DNS would answer with every
 * replica's address). All start at once (none needs another to become healthy) and are awaited
 * healthy. The fixture of {@link DockerComposeWiringIT} and {@link DashboardBrowserIT}.
 */
final class ComposeServices implements AutoCloseable {

    /**
     * What docker puts into every container: its own HOSTNAME (the container id); replica {@code n}
     * (from 1) of the relay gets this with its last digit replaced by {@code n}.
     */
    static final String RELAY_CONTAINER_HOSTNAME = "3f2a9c81d0e1";

    static String relayContainerHostname(int replica) {
        return RELAY_CONTAINER_HOSTNAME.substring(0, RELAY_CONTAINER_HOSTNAME.length() - 1) + replica;
    }

    /**
     * Per service, the property that sets the replication factor of the topics it creates if they
     * are absent (compose gives each 3, through its environment variable).
     */
    static final Map<String, String> REPLICATION_FACTOR_PROPERTIES = Map.of(
            "ad-click-producer", "clicks.topic.replication-factor",
            "ad-event-relay", "relay.replication-factor",
            "ad-event-sink", "sink.topic.replication-factor");

    /**
     * The variables of {@code service} whose values differ from compose (besides host names), and
     * why: compose's services talk to three brokers ({@code kafka-1:9092,kafka-2:9092,kafka-3:9092})
     * and create topics with three replicas; here one local broker takes their place, and it can hold
     * one replica of a partition. Each of these variables must be in the compose file: it is
     * replaced, never added.
     */
    private static Map<String, String> singleBrokerOverrides(String service, String localBroker) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", localBroker);
        String replicationFactor = REPLICATION_FACTOR_PROPERTIES.get(service);
        if (replicationFactor != null) {
            overrides.put(ComposeFile.environmentVariable(replicationFactor), "1");
        }
        return overrides;
    }

    final PipelineInfrastructure infra;
    /** host:port of the database, where compose says {@code mysql:3306}. */
    final String mysqlHostPort;
    /** Every relay replica, the first one first. */
    final List<ServiceProcess> relays;
    final ServiceProcess sink;
    final ServiceProcess producer;
    final ServiceProcess dashboard;

    private ComposeServices(PipelineInfrastructure infra, String mysqlHostPort, List<ServiceProcess> relays,
            ServiceProcess sink, ServiceProcess producer, ServiceProcess dashboard) {
        this.infra = infra;
        this.mysqlHostPort = mysqlHostPort;
        this.relays = List.copyOf(relays);
        this.sink = sink;
        this.producer = producer;
        this.dashboard = dashboard;
    }

    /** Every service, the relay with as many replicas as compose runs. */
    static ComposeServices start(Path logs) throws IOException, SQLException {
        return start(logs, ComposeFile.read().replicas("ad-event-relay"));
    }

    /**
     * Every service, the relay with {@code relayReplicas} replicas: one where a test reads the
     * relay's counts through the dashboard, which here reaches only the first replica.
     */
    static ComposeServices start(Path logs, int relayReplicas) throws IOException, SQLException {
        ComposeFile compose = ComposeFile.read();
        PipelineInfrastructure infra = PipelineInfrastructure.start(Backend.LOCAL);
        ComposeServices services = null;
        try {
            String mysqlHostPort = URI.create(infra.jdbcUrl().substring("jdbc:".length())).getAuthority();
            runMysqlInitScripts(infra);
            // kafka-init's work (KafkaInitScriptIT runs its script), each principal with the password
            // its service's compose environment gives it
            KafkaAccess.provision(infra, principal -> infra.kafkaConnection(compose.kafkaCredentials(principal)));

            int relayPort = FreePorts.next();
            int sinkPort = FreePorts.next();
            int producerPort = FreePorts.next();
            Map<String, String> hosts = new LinkedHashMap<>(Map.of(
                    "mysql:3306", mysqlHostPort,
                    "ad-event-relay:8082", "127.0.0.1:" + relayPort,
                    "ad-event-sink:8083", "127.0.0.1:" + sinkPort,
                    "ad-click-producer:8081", "127.0.0.1:" + producerPort));

            String broker = infra.kafkaBootstrapServers();
            List<ServiceProcess> relays = new ArrayList<>();
            for (int replica = 1; replica <= relayReplicas; replica++) {
                Map<String, String> relayEnvironment = local(compose, "ad-event-relay", hosts, broker);
                relayEnvironment.put("HOSTNAME", relayContainerHostname(replica));
                relays.add(service(replica == 1 ? "ad-event-relay" : "ad-event-relay-" + replica, "ad-event-relay",
                        replica == 1 ? relayPort : FreePorts.next(), relayEnvironment, logs));
            }
            ServiceProcess sink = service("ad-event-sink", sinkPort, local(compose, "ad-event-sink", hosts, broker), logs);
            ServiceProcess producer = service("ad-click-producer", producerPort,
                    local(compose, "ad-click-producer", hosts, broker), logs);
            // each service's actuator, on its management port (ServiceProcess picks a free one)
            hosts.put("ad-event-relay:9082", "127.0.0.1:" + relays.get(0).managementPort());
            hosts.put("ad-event-sink:9083", "127.0.0.1:" + sink.managementPort());
            hosts.put("ad-click-producer:9081", "127.0.0.1:" + producer.managementPort());
            services = new ComposeServices(infra, mysqlHostPort, relays, sink, producer,
                    service("pipeline-dashboard", FreePorts.next(), local(compose, "pipeline-dashboard", hosts, broker),
                            logs));
            services.all().forEach(ServiceProcess::start);
            services.all().forEach(ServiceProcess::awaitHealthy);
            return services;
        }
        catch (IOException | SQLException | RuntimeException e) {
            if (services != null) {
                services.close();
            }
            else {
                infra.close();
            }
            throw e;
        }
    }

    List<ServiceProcess> all() {
        List<ServiceProcess> all = new ArrayList<>(relays);
        all.addAll(List.of(sink, producer, dashboard));
        return all;
    }

    @Override
    public void close() {
        List<ServiceProcess> inStopOrder = new ArrayList<>(List.of(dashboard, producer));
        inStopOrder.addAll(relays);
        inStopOrder.add(sink);
        for (ServiceProcess service : inStopOrder) {
            service.stop();
        }
        infra.close();
    }

    private static ServiceProcess service(String name, int port, Map<String, String> environment, Path logs) {
        return service(name, name, port, environment, logs);
    }

    /** {@code instance}: the process's name (its log's), {@code service}'s jar. */
    private static ServiceProcess service(String instance, String service, int port, Map<String, String> environment,
            Path logs) {
        return new ServiceProcess(instance, Pipeline.serviceJar(service), port, Map.of(), environment, logs);
    }

    /** The script the mysql container runs from /docker-entrypoint-initdb.d, statement by statement, as root. */
    private static void runMysqlInitScripts(PipelineInfrastructure infra) throws IOException, SQLException {
        Path dir = ComposeFile.PATH.toAbsolutePath().getParent().resolve("docker/mysql/init");
        List<Path> scripts;
        try (var files = Files.list(dir)) {
            scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        if (scripts.isEmpty()) {
            throw new IllegalStateException("No init scripts in " + dir);
        }
        try (Connection root = DriverManager.getConnection(infra.jdbcUrl(), infra.jdbcUsername(), infra.jdbcPassword());
                Statement statement = root.createStatement()) {
            for (Path script : scripts) {
                for (String sql : statements(Files.readString(script))) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static List<String> statements(String script) {
        StringBuilder withoutComments = new StringBuilder();
        script.lines().filter(line -> !line.strip().startsWith("--")).forEach(line -> withoutComments.append(line).append('\n'));
        List<String> statements = new ArrayList<>();
        for (String sql : withoutComments.toString().split(";")) {
            if (!sql.isBlank()) {
                statements.add(sql.strip());
            }
        }
        return statements;
    }

    /** The compose environment of {@code service}, host names mapped, the single-broker overrides applied. */
    private static Map<String, String> local(ComposeFile compose, String service, Map<String, String> hosts,
            String localBroker) {
        Map<String, String> environment = mapped(compose.environment(service), hosts);
        singleBrokerOverrides(service, localBroker).forEach((name, value) -> {
            if (environment.replace(name, value) == null) {
                throw new IllegalStateException("docker-compose.yml gives " + service + " no " + name
                        + ": nothing to replace for the single local broker");
            }
        });
        return environment;
    }

    private static Map<String, String> mapped(Map<String, String> environment, Map<String, String> hosts) {
        Map<String, String> mapped = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            String local = value;
            for (Map.Entry<String, String> host : hosts.entrySet()) {
                local = local.replace(host.getKey(), host.getValue());
            }
            mapped.put(name, local);
        });
        return mapped;
    }
}
