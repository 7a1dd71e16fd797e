package dev.adclicks.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.adclicks.infra.FreePorts;
import dev.adclicks.infra.PipelineInfrastructure;

/**
 * The three services as OS processes, wired to one {@link PipelineInfrastructure}: producer
 * (HTTP in, ad-clicks out), two relays by default (ad-clicks to ad-events, transactional, one
 * consumer group), two sinks by default (ad-events into MySQL, one consumer group). Each starts
 * from its extracted jar with a trained class cache ({@link ServiceLaunch}). Closing it stops the
 * services, not the servers.
 */
public final class Pipeline implements AutoCloseable {

    /** System property: the folder holding the services' runnable jars (built by Maven). */
    public static final String SERVICES_DIR_PROPERTY = "lab.services.dir";

    /** System properties with this prefix are passed to every service, without it. */
    public static final String SERVICE_PROPERTY_PREFIX = "lab.service.";

    private final PipelineInfrastructure infra;
    private final ServiceProcess producer;
    private final List<ServiceProcess> relays;
    private final List<ServiceProcess> sinks;
    private final Options options;

    private Pipeline(PipelineInfrastructure infra, ServiceProcess producer, List<ServiceProcess> relays,
            List<ServiceProcess> sinks, Options options) {
        this.infra = infra;
        this.options = options;
        this.producer = producer;
        this.relays = relays;
        this.sinks = sinks;
    }

    /** Exactly-once, two relays and two sinks by default: the pipeline as compose runs it. */
    public static Pipeline start(PipelineInfrastructure infra, Path logDir) {
        return start(infra, logDir, Options.DEFAULT);
    }

    /**
     * The classic group protocol's session settings of every relay and sink the lab starts:
     * {@link PipelineInfrastructure#GROUP_SESSION_TIMEOUT} and its heartbeat interval.
     */
    public static Map<String, String> classicGroupSession() {
        return Map.of(
                "spring.kafka.consumer.properties.session.timeout.ms",
                String.valueOf(PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toMillis()),
                "spring.kafka.consumer.properties.heartbeat.interval.ms",
                String.valueOf(PipelineInfrastructure.GROUP_HEARTBEAT_INTERVAL.toMillis()));
    }

    /** Starts the services (in parallel) and waits until each reports UP. */
    public static Pipeline start(PipelineInfrastructure infra, Path logDir, Options options) {
        Path services = servicesDir();
        // the operator's step: topics, and (on every broker but the benchmark's plaintext baseline)
        // the services' users and ACLs
        KafkaAccess.provision(infra);
        Map<String, String> common = new LinkedHashMap<>();
        common.put("spring.profiles.active", options.profile());
        // Both consumers (relay and sink) take their group protocol from this one property.
        common.put("spring.kafka.consumer.properties.group.protocol", options.groupProtocol());
        if (options.groupProtocol().equals(CLASSIC)) {
            // Fast failure detection for the lab's kills: a dead member's partitions move after 3 s
            // (the brokers' minimum session timeout, lowered from Kafka's 6 s) instead of the client
            // default of 45 s. With the 'consumer' protocol these are the broker's
            // (group.consumer.session.timeout.ms, the same in the lab's cluster) and the client
            // refuses them.
            common.putAll(classicGroupSession());
        }
        // Every topic a service declares gets as many replicas as the cluster has brokers (3 in the
        // lab's cluster, with min.insync.replicas=2).
        String replicationFactor = String.valueOf(infra.replicationFactor());
        common.put("clicks.topic.replication-factor", replicationFactor);
        common.put("relay.replication-factor", replicationFactor);
        common.put("sink.topic.replication-factor", replicationFactor);
        // -Dlab.service.<property>=<value>: a setting for every service (the benchmark's levers)
        common.putAll(ServiceProcess.propertiesWithPrefix(SERVICE_PROPERTY_PREFIX));

        Map<String, String> sinkProperties = new LinkedHashMap<>(common);
        // each service connects as its own principal (on the authenticated cluster)
        sinkProperties.putAll(infra.kafkaConnection(KafkaAccess.SINK).springProperties());
        sinkProperties.put("spring.datasource.url", infra.jdbcUrl());
        sinkProperties.put("spring.datasource.username", infra.jdbcUsername());
        sinkProperties.put("spring.datasource.password", infra.jdbcPassword());

        List<ServiceProcess> relays = new ArrayList<>();
        for (int i = 1; i <= options.relays(); i++) {
            Map<String, String> relayProperties = new LinkedHashMap<>(common);
            relayProperties.putAll(infra.kafkaConnection(KafkaAccess.RELAY).springProperties());
            relayProperties.put("relay.instance-id", "lab-relay-" + i);
            staticMembership(relayProperties, "lab-relay-" + i);
            relayProperties.put(RELAY_HALT_TRIGGER, haltTrigger(logDir, "ad-event-relay-" + i));
            relays.add(new ServiceProcess("ad-event-relay-" + i, jar(services, "ad-event-relay"), FreePorts.next(),
                    relayProperties, logDir));
        }
        // sinks share ad-events in one consumer group: a dead one's partitions move to the others
        List<ServiceProcess> sinks = new ArrayList<>();
        for (int i = 1; i <= options.sinks(); i++) {
            Map<String, String> properties = new LinkedHashMap<>(sinkProperties);
            staticMembership(properties, "lab-sink-" + i);
            String name = i == 1 ? "ad-event-sink" : "ad-event-sink-" + i;
            properties.put(SINK_HALT_TRIGGER, haltTrigger(logDir, name));
            sinks.add(new ServiceProcess(name, jar(services, "ad-event-sink"),
                    FreePorts.next(), properties, logDir));
        }
        Map<String, String> producerProperties = new LinkedHashMap<>(common);
        producerProperties.putAll(infra.kafkaConnection(KafkaAccess.PRODUCER).springProperties());
        Pipeline pipeline = new Pipeline(infra,
                new ServiceProcess("ad-click-producer", jar(services, "ad-click-producer"), FreePorts.next(),
                        producerProperties, logDir),
                List.copyOf(relays), List.copyOf(sinks), options);
        try {
            // in parallel: a first start may train the class cache of its jar (ServiceLaunch)
            pipeline.services().parallelStream().forEach(ServiceProcess::start);
            pipeline.services().forEach(ServiceProcess::awaitHealthy);
            return pipeline;
        }
        catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /**
     * With {@value #STATIC_MEMBERSHIP_PROPERTY}=true, the consumer of a relay or sink joins its group
     * as a static member, {@code group.instance.id} = {@code instanceId} (docs/recovery.md: measured,
     * not adopted).
     */
    private static void staticMembership(Map<String, String> properties, String instanceId) {
        if (Boolean.getBoolean(STATIC_MEMBERSHIP_PROPERTY)) {
            properties.put("spring.kafka.consumer.properties.group.instance.id", instanceId);
        }
    }

    /**
     * The test aid that halts a relay inside a transaction ({@code HaltInTransactionFault}) is armed
     * in every relay the lab starts, and fires once this file exists: {@link Fault#RELAY_HALT_IN_TRANSACTION}
     * halts a running relay instead of restarting it with the aid on (one restart instead of two).
     */
    static final String RELAY_HALT_TRIGGER = "relay.fault.halt-in-transaction-trigger-file";

    /** The same for the sink's {@code HaltAfterDbCommitFault} ({@link Fault#SINK_HALT_AFTER_DB_COMMIT}). */
    static final String SINK_HALT_TRIGGER = "sink.fault.halt-after-db-commit-trigger-file";

    /** A service's trigger file, in the log directory; absent until a fault creates it. */
    private static String haltTrigger(Path logDir, String service) {
        Path trigger = logDir.resolve(service + ".halt").toAbsolutePath();
        try {
            Files.deleteIfExists(trigger);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return trigger.toString();
    }

    /** System property: {@code true} makes relays and sinks static group members. */
    public static final String STATIC_MEMBERSHIP_PROPERTY = "lab.static-membership";

    /** The classic consumer group protocol (client-side assignment, the default of kafka-clients 4.x). */
    public static final String CLASSIC = "classic";

    /** The KIP-848 consumer group protocol (broker-side assignment, incremental, no global barrier). */
    public static final String CONSUMER = "consumer";

    /** System property: how many relay instances the lab runs (at least 2 for the zombie fault). */
    public static final String RELAYS_PROPERTY = "lab.relays";

    /**
     * Relay instances by default: two, so that a killed relay stalls only its own partitions while
     * the other goes on relaying its own (docs/recovery.md).
     */
    public static final int DEFAULT_RELAYS = 2;

    /** System property: how many sink instances the lab runs. */
    public static final String SINKS_PROPERTY = "lab.sinks";

    /**
     * Sink instances by default: two, so that a dead sink's partitions move to the other after the
     * session timeout instead of waiting for its restart (docs/recovery.md).
     */
    public static final int DEFAULT_SINKS = 2;

    /** System property: the group protocol of the lab's services, {@code classic} (default) or {@code consumer}. */
    public static final String GROUP_PROTOCOL_PROPERTY = "lab.group-protocol";

    /**
     * @param profile the delivery semantics: {@code at-least-once} or {@code at-most-once} (Spring
     *        profiles of every service), or {@code exactly-once} (the default: no service has such a
     *        profile, it is active when neither weaker one is; the name only labels the run)
     * @param relays how many relay instances share the work ({@value #RELAYS_PROPERTY}, default
     *        {@value #DEFAULT_RELAYS}; the zombie fault needs 2)
     * @param groupProtocol the consumer group protocol of relay and sink: {@link #CLASSIC} or {@link #CONSUMER}
     * @param sinks how many sink instances share the work ({@value #SINKS_PROPERTY}, default {@value #DEFAULT_SINKS})
     */
    public record Options(String profile, int relays, String groupProtocol, int sinks) {

        public static final Options DEFAULT = new Options("exactly-once", defaultRelays(), defaultGroupProtocol());

        public Options(String profile, int relays, String groupProtocol) {
            this(profile, relays, groupProtocol, Integer.getInteger(SINKS_PROPERTY, DEFAULT_SINKS));
        }

        public Options {
            if (sinks < 1) {
                throw new IllegalArgumentException("at least one sink: " + sinks);
            }
            if (!groupProtocol.equals(CLASSIC) && !groupProtocol.equals(CONSUMER)) {
                throw new IllegalArgumentException("group protocol must be " + CLASSIC + " or " + CONSUMER + ": "
                        + groupProtocol);
            }
        }

        public Options(String profile, int relays) {
            this(profile, relays, defaultGroupProtocol());
        }

        /** {@value #RELAYS_PROPERTY}, else {@value #DEFAULT_RELAYS}. */
        public static int defaultRelays() {
            return Integer.getInteger(RELAYS_PROPERTY, DEFAULT_RELAYS);
        }

        /** {@value #GROUP_PROTOCOL_PROPERTY}, else {@code classic}. */
        public static String defaultGroupProtocol() {
            return System.getProperty(GROUP_PROTOCOL_PROPERTY, CLASSIC);
        }
    }

    public Options options() {
        return options;
    }

    public PipelineInfrastructure infra() {
        return infra;
    }

    public ServiceProcess producer() {
        return producer;
    }

    public ServiceProcess relay() {
        return relays.get(0);
    }

    public List<ServiceProcess> relays() {
        return relays;
    }

    /** The first sink: the one the faults hit. */
    public ServiceProcess sink() {
        return sinks.get(0);
    }

    public List<ServiceProcess> sinks() {
        return sinks;
    }

    public List<ServiceProcess> services() {
        List<ServiceProcess> all = new ArrayList<>();
        all.add(producer);
        all.addAll(relays);
        all.addAll(sinks);
        return all;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (ServiceProcess service : services()) {
            try {
                service.stop();
            }
            catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** The runnable jar of one service ({@code ad-click-producer}, {@code ad-event-relay}, {@code ad-event-sink},
     * {@code pipeline-dashboard}). */
    public static Path serviceJar(String service) {
        return jar(servicesDir(), service);
    }

    private static Path servicesDir() {
        Path dir = Paths.get(System.getProperty(SERVICES_DIR_PROPERTY, "pipeline-lab/target/services"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("No service jars in " + dir.toAbsolutePath()
                    + ": build them first (./mvnw package -DskipTests) or set -D" + SERVICES_DIR_PROPERTY);
        }
        return dir;
    }

    private static Path jar(Path dir, String service) {
        Path jar = dir.resolve(service + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Missing " + jar.toAbsolutePath() + ": build it with ./mvnw package -DskipTests");
        }
        return jar;
    }
}
