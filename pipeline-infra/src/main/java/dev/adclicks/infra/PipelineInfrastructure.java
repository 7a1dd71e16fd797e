package dev.adclicks.infra;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real Kafka broker and a real MySQL-compatible database, for tests and for the local run.
 *
 * <p>Kafka authenticates every client (SASL/SCRAM-SHA-512) and authorizes every request against
 * ACLs, on every backend (only {@link #startLocalPlaintext()}'s broker, the benchmark's baseline,
 * does neither): {@link #kafkaAdminConnection()} is the super user's connection (what a
 * test's own clients and {@link #springProperties()} use), {@link #kafkaConnection(String)} a
 * principal's that may do only what it is granted.
 *
 * <p>Which servers: see {@link Backend#select()}. {@link #shared()} starts them once per JVM and
 * stops them when the JVM exits, so every test class of a module shares one broker and one
 * database (tests keep apart by their own topics, groups and clickIds).
 */
public interface PipelineInfrastructure extends AutoCloseable {

    /** The database schema every service uses. */
    String DATABASE = "adclicks";

    /**
     * How often every broker looks for transactions past their timeout and aborts them
     * ({@code transaction.abort.timed.out.transaction.cleanup.interval.ms}; Kafka's default is 10 s).
     */
    Duration TIMED_OUT_TRANSACTION_CHECK = Duration.ofSeconds(1);

    /**
     * How long a relay or sink that stops heartbeating (killed, paused, cut off) keeps its
     * partitions before the group coordinator hands them to another member: the session timeout the
     * lab's and compose's services use with the classic group protocol, and every broker's for the
     * KIP-848 {@code consumer} protocol. Every broker accepts it as its shortest
     * ({@code group.min.session.timeout.ms}, Kafka's default 6 s; {@code group.consumer.min.session.timeout.ms},
     * default 45 s). Shorter evicts a live member sooner too: one paused longer (a stop-the-world
     * collection, a starved CPU), or one that cannot reach its group's coordinator for that long
     * (its broker down, the next one still loading the group), loses its partitions and rejoins;
     * for the relay that aborts its open transaction, so nothing is lost or doubled, only redone.
     * docs/recovery.md has the measurements (3 s against 6 s).
     */
    Duration GROUP_SESSION_TIMEOUT = Duration.ofSeconds(3);

    /** A member's heartbeat interval: a third of {@link #GROUP_SESSION_TIMEOUT}, as Kafka advises. */
    Duration GROUP_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    /** The servers of this JVM, started on first use and stopped at JVM exit. */
    static PipelineInfrastructure shared() {
        return SharedInfrastructure.get();
    }

    /**
     * The servers of {@link #startLocalCluster()} for this JVM (three authenticated brokers),
     * started on first use and stopped at JVM exit: test classes that need the lab's cluster share
     * its four Kafka JVMs instead of starting their own.
     */
    static PipelineInfrastructure sharedCluster() {
        return SharedInfrastructure.cluster();
    }

    /** Starts a new pair of servers on the selected backend; the caller closes them. */
    static PipelineInfrastructure start() {
        return start(Backend.select());
    }

    static PipelineInfrastructure start(Backend backend) {
        return switch (backend) {
            case DOCKER -> DockerInfrastructure.start();
            case LOCAL -> LocalInfrastructure.start(false);
        };
    }

    /**
     * Starts a new pair of servers on the {@linkplain Backend#LOCAL local} backend, whatever
     * {@link Backend#select()} would choose, with a {@link KafkaFaultProxy} in front of the broker:
     * the broker advertises the proxy's address, so every Kafka client of these servers connects
     * through it (see {@link #kafkaFaultProxy()}). The caller closes them.
     *
     * <p>The docker backend offers no fault proxy: the container advertises its own mapped port.
     * Tests that need lost acks therefore run on the local backend everywhere, Docker or not.
     */
    static PipelineInfrastructure startLocalWithFaultProxy() {
        return LocalInfrastructure.start(true);
    }

    /**
     * Starts a new pair of servers on the {@linkplain Backend#LOCAL local} backend with a replicated
     * Kafka cluster: three brokers (and a controller), every topic replication factor 3 and
     * {@code min.insync.replicas=2}, every broker behind its own fault proxies (see
     * {@link LocalKafkaCluster}), every client authenticated (SASL/SCRAM-SHA-512) and every request
     * authorized by ACLs: see {@link #kafkaAdminConnection()} and {@link #kafkaConnection(String)}.
     * The lab's servers. The caller closes them.
     */
    static PipelineInfrastructure startLocalCluster() {
        return LocalInfrastructure.start(LocalInfrastructure.Kafka.REPLICATED);
    }

    /**
     * Starts a new pair of servers on the {@linkplain Backend#LOCAL local} backend with one broker
     * that neither authenticates nor authorizes (every connection is a plaintext one, allowed
     * everything): only the benchmark's baseline, to measure what authentication costs. The caller
     * closes them.
     */
    static PipelineInfrastructure startLocalPlaintext() {
        return LocalInfrastructure.start(LocalInfrastructure.Kafka.SINGLE_PLAINTEXT);
    }

    Backend backend();

    /** The three-broker cluster of {@link #startLocalCluster()}; empty for single-broker servers. */
    default Optional<LocalKafkaCluster> kafkaCluster() {
        return Optional.empty();
    }

    /** How many replicas a topic of these servers can have: 3 on the cluster, else 1. */
    default short replicationFactor() {
        return kafkaCluster().map(c -> (short) c.brokers().size()).orElse((short) 1);
    }

    /**
     * The proxy between every Kafka client and the broker, present only for servers from
     * {@link #startLocalWithFaultProxy()}; never for the docker backend or {@link #shared()}.
     */
    default Optional<KafkaFaultProxy> kafkaFaultProxy() {
        return Optional.empty();
    }

    String kafkaBootstrapServers();

    /**
     * The operator's connection, as the super user {@code admin}: creates topics, users and ACLs,
     * reads and writes anything. (On {@link #startLocalPlaintext()}'s broker a plaintext one.)
     */
    KafkaConnection kafkaAdminConnection();

    /**
     * The connection of principal {@code username}, with its own credentials (the user is created
     * on first use, with a random password; what it may do is up to its ACLs).
     */
    KafkaConnection kafkaConnection(String username);

    /**
     * The connection of a principal with the password a deployment gives it (docker-compose.yml's,
     * say): the user is created, or its password set.
     */
    KafkaConnection kafkaConnection(KafkaCredentials credentials);

    /** A Connector/J URL for {@link #DATABASE}, created if absent. */
    String jdbcUrl();

    String jdbcUsername();

    String jdbcPassword();

    /** An outage of Kafka (every broker): it stops answering until {@link #startKafka()}; data is kept. */
    void stopKafka();

    void startKafka();

    /** An outage of the database: it stops answering until {@link #startDatabase()}; data is kept. */
    void stopDatabase();

    void startDatabase();

    /**
     * The Spring Boot properties that point a service at these servers, on Kafka as the super
     * user: what a single-service test's context runs with (the ACLs a service runs with in
     * production are the lab's to test, where each service is its own principal).
     */
    default Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>(kafkaAdminConnection().springProperties());
        properties.put("spring.datasource.url", jdbcUrl());
        properties.put("spring.datasource.username", jdbcUsername());
        properties.put("spring.datasource.password", jdbcPassword());
        return properties;
    }

    @Override
    void close();
}
