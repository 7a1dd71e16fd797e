package dev.adclicks.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft Kafka cluster from the {@code kafka_2.13} jars, every node its own JVM, on free
 * loopback ports under a private directory that {@link #close()} deletes.
 *
 * <p><b>One broker</b> ({@link #single}): one combined broker + controller node, replication
 * factor 1 everywhere — the fast servers of the single-service integration tests, where
 * replication changes nothing those tests look at. It authenticates and authorizes as the
 * three-broker cluster does (below); {@link #singlePlaintext} is the same node without either, the
 * benchmark's baseline for what authentication costs.
 *
 * <p><b>Three brokers</b> ({@link #replicated}): brokers 1, 2, 3 and a <em>separate</em>
 * controller, node 0. Separate, because then any broker can be killed without touching the
 * metadata quorum, and with two of three brokers down the controller is still there to fence them
 * and shrink every ISR to one, so writes are refused with {@code NotEnoughReplicas} instead of
 * hanging until they time out (with combined nodes the quorum would be gone with its majority).
 * One controller keeps the lab at four JVMs on a 2-core machine; production runs three or five.
 * Every topic — the pipeline's and {@code __consumer_offsets} / {@code __transaction_state} —
 * defaults to replication factor 3 with {@code min.insync.replicas=2}; unclean leader election
 * is off; a broker that stops heartbeating is fenced after 6 s.
 *
 * <p>With fault proxies, every broker advertises a {@link KafkaFaultProxy} instead of its own
 * port on both of its listeners: {@code CLIENT} (every client connection, for lost acks) and
 * {@code REPLICATION} (the inter-broker listener: the followers' fetches from this broker, which
 * {@link Broker#holdReplication()} holds back — the window in which an {@code acks=1} record
 * lives only on its leader).
 *
 * <p>The three-broker cluster authenticates every client (SASL/SCRAM-SHA-512 on the {@code CLIENT}
 * and {@code REPLICATION} listeners) and authorizes every request ({@code StandardAuthorizer}, no
 * ACL means no access): as production runs. Its one super user, {@code admin}, is written into the
 * metadata log when the storage is formatted (Kafka's {@code StorageTool format -S}); the brokers
 * use it among themselves, and {@link #adminConnection()} hands it to the operator's tools. Other
 * principals come from {@link #user(String)}; their ACLs from whoever provisions the cluster. The
 * controller's listener stays {@code PLAINTEXT} on the loopback address, and the controller takes
 * the brokers' unauthenticated requests there as {@code User:ANONYMOUS}, a super user on the
 * controller only (as Kafka's own SCRAM end-to-end tests configure it). The one-broker cluster
 * is configured alike, its broker reaching its own controller as {@code User:ANONYMOUS}.
 */
public final class LocalKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** How long the controller waits for a broker's heartbeat before it fences it and moves its leaders. */
    public static final int BROKER_SESSION_TIMEOUT_MS = 6_000;

    private final Path dir;
    private final LocalKafkaNode controller;
    private final List<Broker> brokers;
    private final Optional<KafkaCredentials> admin;
    private final Map<String, KafkaCredentials> users = new java.util.concurrent.ConcurrentHashMap<>();

    private LocalKafkaCluster(Path dir, LocalKafkaNode controller, List<Broker> brokers,
            Optional<KafkaCredentials> admin) {
        this.dir = dir;
        this.controller = controller;
        this.brokers = brokers;
        this.admin = admin;
    }

    /**
     * One combined node that authenticates and authorizes as the three-broker cluster does (its
     * broker reaches its own controller as {@code User:ANONYMOUS}, over the PLAINTEXT controller
     * listener); with {@code withFaultProxy} clients connect through its proxy.
     */
    public static LocalKafkaCluster single(Path baseDir, boolean withFaultProxy) {
        return start(baseDir, 1, withFaultProxy, true);
    }

    /**
     * One combined node without authentication or authorization, every client a super user: only
     * for measuring what authentication costs (the benchmark's part {@code auth}).
     */
    public static LocalKafkaCluster singlePlaintext(Path baseDir) {
        return start(baseDir, 1, false, false);
    }

    /** Three brokers and a controller, every broker behind its client and replication proxies. */
    public static LocalKafkaCluster replicated(Path baseDir) {
        return start(baseDir, 3, true, true);
    }

    private static LocalKafkaCluster start(Path baseDir, int brokerCount, boolean withFaultProxies, boolean secured) {
        List<String> classArchive = BrokerClassArchive.options(option -> trainClassArchive(baseDir, option));
        return start(baseDir, brokerCount, withFaultProxies, secured, classArchive, List.of());
    }

    /**
     * The class archive's training run: one combined node started with {@code archiveOption}, the
     * requests the pipeline makes (a topic created, a transaction that also commits a group's
     * offsets, a {@code read_committed} group reading it), then a controlled shutdown, at whose end
     * its JVM writes the archive.
     */
    private static void trainClassArchive(Path baseDir, String archiveOption) {
        log.info("Training the Kafka nodes' class archive (once per JDK, JVM options and jars)");
        LocalKafkaCluster cluster = start(baseDir, 1, false, true, List.of(), List.of(archiveOption));
        try {
            KafkaConnection kafka = cluster.adminConnection();
            String topic = "class-archive-training";
            TopicAdmin.createIfAbsent(kafka, List.of(new NewTopic(topic, 1, (short) 1)));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "class-archive-training",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)))) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
                }
                producer.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)),
                        new ConsumerGroupMetadata("class-archive-training"));
                producer.commitTransaction();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, "class-archive-training-reader",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class)))) {
                consumer.subscribe(List.of(topic));
                int read = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (read < 10 && System.nanoTime() < deadline) {
                    read += consumer.poll(Duration.ofMillis(500)).count();
                }
                consumer.commitSync();
            }
            cluster.brokers().get(0).node.stop(); // the JVM writes the archive as it exits
        }
        finally {
            cluster.close();
        }
    }

    private static LocalKafkaCluster start(Path baseDir, int brokerCount, boolean withFaultProxies, boolean secured,
            List<String> classArchive, List<String> launchOnly) {
        Path dir;
        try {
            dir = Files.createTempDirectory(baseDir, "kafka-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<KafkaFaultProxy> proxies = new ArrayList<>();
        List<LocalKafkaNode> nodes = new ArrayList<>();
        try {
            int controllerPort = FreePorts.next();
            String voters = (brokerCount == 1 ? 1 : 0) + "@127.0.0.1:" + controllerPort;
            String clusterId = Uuid.randomUuid().toString();
            Optional<KafkaCredentials> admin = secured ? Optional.of(KafkaCredentials.random("admin"))
                    : Optional.empty();
            LocalKafkaNode controller = null;
            if (brokerCount > 1) {
                controller = new LocalKafkaNode(0, "controller", dir.resolve("controller-0"), String.join("\n",
                        "process.roles=controller",
                        "node.id=0",
                        "controller.quorum.voters=" + voters,
                        "listeners=CONTROLLER://127.0.0.1:" + controllerPort,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT",
                        "log.dirs=" + dir.resolve("controller-0").resolve("data"),
                        // the brokers reach the controller unauthenticated, on the loopback address
                        AUTHORIZER,
                        "super.users=" + admin.orElseThrow().principal() + ";User:ANONYMOUS",
                        clusterDefaults(brokerCount)), "256m", classArchive, launchOnly);
                nodes.add(controller);
            }
            List<Broker> brokers = new ArrayList<>();
            for (int id = 1; id <= brokerCount; id++) {
                int clientPort = FreePorts.next();
                int replicationPort = FreePorts.next();
                KafkaFaultProxy clientProxy = withFaultProxies ? startProxy(clientPort, proxies) : null;
                KafkaFaultProxy replicationProxy = withFaultProxies && brokerCount > 1
                        ? startProxy(replicationPort, proxies) : null;
                Path nodeDir = dir.resolve("broker-" + id);
                List<String> config = new ArrayList<>();
                config.add("node.id=" + id);
                config.add("controller.quorum.voters=" + voters);
                config.add("controller.listener.names=CONTROLLER");
                config.add("log.dirs=" + nodeDir.resolve("data"));
                int advertisedClient = clientProxy == null ? clientPort : clientProxy.port();
                if (brokerCount == 1) {
                    config.add("process.roles=broker,controller");
                    config.add("listeners=CLIENT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
                    config.add("advertised.listeners=CLIENT://127.0.0.1:" + advertisedClient);
                    config.add("inter.broker.listener.name=CLIENT");
                    if (admin.isEmpty()) {
                        config.add("listener.security.protocol.map=CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                    }
                    else {
                        config.add("listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
                        config.add("sasl.enabled.mechanisms=" + KafkaCredentials.MECHANISM);
                        config.add("sasl.mechanism.inter.broker.protocol=" + KafkaCredentials.MECHANISM);
                        // the inter-broker listener: what the node presents to itself (transaction markers)
                        config.add("listener.name.client.scram-sha-512.sasl.jaas.config="
                                + admin.orElseThrow().jaasConfig());
                        config.add(AUTHORIZER);
                        config.add("super.users=" + admin.orElseThrow().principal() + ";User:ANONYMOUS");
                    }
                }
                else {
                    int advertisedReplication = replicationProxy == null ? replicationPort : replicationProxy.port();
                    config.add("process.roles=broker");
                    config.add("listeners=CLIENT://127.0.0.1:" + clientPort + ",REPLICATION://127.0.0.1:"
                            + replicationPort);
                    config.add("advertised.listeners=CLIENT://127.0.0.1:" + advertisedClient
                            + ",REPLICATION://127.0.0.1:" + advertisedReplication);
                    config.add("listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,REPLICATION:SASL_PLAINTEXT,"
                            + "CONTROLLER:PLAINTEXT");
                    // Followers fetch from their leader on this listener, through its replication proxy.
                    config.add("inter.broker.listener.name=REPLICATION");
                    config.add("sasl.enabled.mechanisms=" + KafkaCredentials.MECHANISM);
                    config.add("sasl.mechanism.inter.broker.protocol=" + KafkaCredentials.MECHANISM);
                    // what this broker presents to the others; a listener only clients use needs an empty entry
                    config.add("listener.name.replication.scram-sha-512.sasl.jaas.config="
                            + admin.orElseThrow().jaasConfig());
                    config.add("listener.name.client.scram-sha-512.sasl.jaas.config="
                            + "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                    config.add(AUTHORIZER);
                    config.add("super.users=" + admin.orElseThrow().principal());
                    config.add("broker.heartbeat.interval.ms=1000");
                }
                config.add(clusterDefaults(brokerCount));
                LocalKafkaNode node = new LocalKafkaNode(id, brokerCount == 1 ? "broker,controller" : "broker", nodeDir,
                        String.join("\n", config), "512m", classArchive, launchOnly);
                nodes.add(node);
                brokers.add(new Broker(node, clientPort, advertisedClient, clientProxy, replicationProxy));
            }
            List<String> scram = admin.map(a -> List.of("-S", KafkaCredentials.MECHANISM + "=[name=" + a.username()
                    + ",password=" + a.password() + "]")).orElse(List.of());
            nodes.parallelStream().forEach(node -> node.format(clusterId, scram));
            LocalKafkaCluster cluster = new LocalKafkaCluster(dir, controller, List.copyOf(brokers), admin);
            for (Broker broker : brokers) {
                broker.cluster = cluster;
            }
            try {
                nodes.forEach(LocalKafkaNode::launch);
                cluster.awaitBrokersServing(brokers);
            }
            catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            log.info("Local Kafka cluster of {} broker(s){} serving at {} (files in {})", brokerCount,
                    controller == null ? "" : " and a controller", cluster.bootstrapServers(), dir);
            return cluster;
        }
        catch (RuntimeException e) {
            nodes.forEach(LocalKafkaNode::kill);
            proxies.forEach(KafkaFaultProxy::close);
            Directories.deleteRecursively(dir);
            throw e;
        }
    }

    private static final String AUTHORIZER =
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    /** The settings every node of a cluster of {@code brokers} shares. */
    private static String clusterDefaults(int brokers) {
        int minIsr = Math.min(2, brokers);
        return String.join("\n",
                "num.partitions=3",
                "default.replication.factor=" + brokers,
                "min.insync.replicas=" + minIsr,
                // Topics are created on purpose (by the operator's step before the services start
                // on the authenticated cluster, by the services' declarations elsewhere); a typo
                // must not create one.
                "auto.create.topics.enable=false",
                "unclean.leader.election.enable=false",
                // The internal topics: replicated like the pipeline's. Without the transaction-log
                // settings on a single node, initTransactions() waits for 3 replicas and times out.
                "offsets.topic.replication.factor=" + brokers,
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=" + brokers,
                "transaction.state.log.min.isr=" + minIsr,
                "transaction.state.log.num.partitions=10",
                "share.coordinator.state.topic.replication.factor=" + brokers,
                "share.coordinator.state.topic.min.isr=" + minIsr,
                "group.initial.rebalance.delay.ms=0",
                // A member that stops heartbeating loses its partitions after the session timeout the
                // services ask for; the brokers accept no shorter than this (compose too).
                "group.min.session.timeout.ms=" + PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toMillis(),
                // A transaction whose producer died (a killed relay that is not restarted, or not
                // yet) holds back every read_committed reader of its partitions until the
                // coordinator aborts it. It looks for timed-out transactions every 10 s by default,
                // so the abort came 0-10 s after the timeout: every second instead (compose too).
                "transaction.abort.timed.out.transaction.cleanup.interval.ms="
                        + PipelineInfrastructure.TIMED_OUT_TRANSACTION_CHECK.toMillis(),
                // The KIP-848 'consumer' group protocol keeps its session on the broker: the same as
                // the classic protocol's session.timeout.ms the lab gives its services.
                "group.consumer.min.session.timeout.ms=" + PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toMillis(),
                "group.consumer.session.timeout.ms=" + PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toMillis(),
                "group.consumer.min.heartbeat.interval.ms=" + PipelineInfrastructure.GROUP_HEARTBEAT_INTERVAL.toMillis(),
                "group.consumer.heartbeat.interval.ms=" + PipelineInfrastructure.GROUP_HEARTBEAT_INTERVAL.toMillis(),
                "broker.session.timeout.ms=" + BROKER_SESSION_TIMEOUT_MS,
                "");
    }

    private static KafkaFaultProxy startProxy(int targetPort, List<KafkaFaultProxy> started) {
        KafkaFaultProxy proxy = KafkaFaultProxy.start("127.0.0.1", targetPort);
        while (proxy.port() == targetPort) { // the OS may hand out the port FreePorts just released
            proxy.close();
            proxy = KafkaFaultProxy.start("127.0.0.1", targetPort);
        }
        started.add(proxy);
        return proxy;
    }

    /** Where clients connect: every broker's advertised client address. */
    public String bootstrapServers() {
        return brokers.stream().map(b -> "127.0.0.1:" + b.advertisedClientPort).collect(Collectors.joining(","));
    }

    public List<Broker> brokers() {
        return brokers;
    }

    /** Whether clients must authenticate (every cluster but {@link #singlePlaintext}'s). */
    public boolean secured() {
        return admin.isPresent();
    }

    /** The cluster's super user: creates topics, users and ACLs, and reads anything. */
    public KafkaConnection adminConnection() {
        return new KafkaConnection(bootstrapServers(), admin);
    }

    /**
     * The connection of principal {@code username}, created on first use with a random password
     * (SCRAM-SHA-512, via the admin) and usable on every running broker once this returns. It may
     * do nothing until it is granted ACLs. On {@link #singlePlaintext}: a plaintext connection.
     */
    public KafkaConnection user(String username) {
        if (admin.isEmpty()) {
            return KafkaConnection.plaintext(bootstrapServers());
        }
        return KafkaConnection.authenticated(bootstrapServers(),
                users.computeIfAbsent(username, name -> upsert(KafkaCredentials.random(name))));
    }

    /**
     * The connection of a principal whose password is given (as a deployment's configuration gives
     * it, e.g. docker-compose.yml's): the user is created, or its password set, via the admin, and
     * usable on every running broker once this returns. On {@link #singlePlaintext}: a
     * plaintext connection.
     */
    public KafkaConnection user(KafkaCredentials credentials) {
        if (admin.isEmpty()) {
            return KafkaConnection.plaintext(bootstrapServers());
        }
        users.compute(credentials.username(), (name, known) -> credentials.equals(known) ? known : upsert(credentials));
        return KafkaConnection.authenticated(bootstrapServers(), credentials);
    }

    private KafkaCredentials upsert(KafkaCredentials credentials) {
        List<String> running = brokers.stream().filter(b -> b.node.isRunning())
                .map(b -> "127.0.0.1:" + b.advertisedClientPort).toList();
        ScramUsers.upsert(new KafkaConnection(String.join(",", running), admin), credentials, running);
        return credentials;
    }

    public Broker broker(int id) {
        return brokers.stream().filter(b -> b.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No broker " + id + " in " + ids(brokers)));
    }

    /** The broker leading {@code partition} now, if any broker does. */
    public Optional<Broker> leaderOf(TopicPartition partition) {
        TopicPartitionInfo info = describe(partition.topic()).partitions().get(partition.partition());
        return info.leader() == null || info.leader().isEmpty() ? Optional.empty() : Optional.of(broker(info.leader().id()));
    }

    /** The in-sync replicas of {@code partition} now. */
    public List<Integer> isrOf(TopicPartition partition) {
        return describe(partition.topic()).partitions().get(partition.partition()).isr().stream().map(Node::id).toList();
    }

    /**
     * The broker coordinating the transactions of {@code transactionalId}. The id is known to the
     * brokers from its producer's {@code initTransactions()} on, which may come after the service
     * reports healthy: until then the describe fails with {@code TransactionalIdNotFoundException},
     * and this waits (up to a minute) instead of failing.
     */
    public Broker transactionCoordinator(String transactionalId) {
        AtomicReference<Broker> coordinator = new AtomicReference<>();
        await("transaction coordinator of " + transactionalId, Duration.ofMinutes(1), () -> {
            coordinator.set(admin(a -> broker(a.describeTransactions(List.of(transactionalId))
                    .description(transactionalId).get().coordinatorId())));
            return true;
        });
        return coordinator.get();
    }

    /** The broker coordinating consumer group {@code groupId}. */
    public Broker groupCoordinator(String groupId) {
        return admin(a -> broker(a.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get()
                .coordinator().id()));
    }

    /**
     * Waits until every broker serves and no partition of any topic (internal ones included) is
     * under-replicated: the state a hard bounce must end in before the next one (as Kafka's own
     * system tests wait).
     */
    public void awaitFullyReplicated(Duration timeout) {
        awaitBrokersServing(brokers);
        await("every partition back to its full ISR", timeout, () -> admin(a -> {
            Set<String> topics = a.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get(5, TimeUnit.SECONDS);
            return a.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                    .flatMap(t -> t.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty() && p.isr().size() == p.replicas().size());
        }));
    }

    /**
     * Waits until the controller has fenced {@code broker} (the cluster no longer lists it) and no
     * partition of any topic (internal ones included) has it as its leader: after a kill, new
     * leaders are elected. Both, because a broker that led nothing (one restarted a moment ago
     * leads nothing until the preferred leaders are elected again) has no leadership to lose, and
     * restarting it before it is fenced would bounce it without an outage.
     */
    public void awaitLeadershipMovedFrom(Broker broker, Duration timeout) {
        await("broker " + broker.id() + " fenced and partition leaders moved away from it", timeout, () -> admin(a -> {
            if (a.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == broker.id())) {
                return false;
            }
            Set<String> topics = a.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get(5, TimeUnit.SECONDS);
            return a.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                    .flatMap(t -> t.partitions().stream())
                    .noneMatch(p -> p.leader() != null && p.leader().id() == broker.id());
        }));
    }

    /** Stops every broker (controlled), for a whole-cluster outage. */
    public void stopAllBrokers() {
        brokers.forEach(Broker::stop);
    }

    /** Starts every stopped broker and waits until all serve. */
    public void startAllBrokers() {
        start(brokers);
    }

    /** Starts these brokers (their JVMs in parallel) and waits until all serve. */
    public void start(Collection<Broker> some) {
        some.forEach(b -> b.node.launch());
        awaitBrokersServing(some);
        some.forEach(b -> log.info("Broker {} serving (pid {})", b.id(), b.node.pid()));
    }

    @Override
    public void close() {
        try {
            brokers.forEach(b -> b.node.kill());
            if (controller != null) {
                controller.kill();
            }
        }
        finally {
            for (Broker broker : brokers) {
                broker.clientProxy().ifPresent(KafkaFaultProxy::close);
                broker.replicationProxy().ifPresent(KafkaFaultProxy::close);
            }
            Directories.deleteRecursively(dir);
        }
    }

    private TopicDescription describe(String topic) {
        return admin(a -> a.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic));
    }

    private void awaitBrokersServing(Collection<Broker> expected) {
        Set<Integer> ids = expected.stream().map(Broker::id).collect(Collectors.toSet());
        await("broker(s) " + ids + " serving", START_TIMEOUT, () -> {
            if (controller != null) {
                controller.checkAlive();
            }
            expected.forEach(b -> b.node.checkAlive());
            // describeCluster lists the registered, unfenced brokers
            return admin(a -> a.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().map(Node::id)
                    .collect(Collectors.toSet()).containsAll(ids));
        });
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            }
            catch (IllegalStateException fatal) {
                throw fatal; // a node exited
            }
            catch (RuntimeException notYet) {
                last = notYet;
            }
            sleep(200);
        }
        throw new IllegalStateException("Local Kafka cluster: no " + what + " within " + timeout
                + (last == null ? "" : " (last error: " + last + ")") + "; broker logs under " + dir, last);
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T call(Admin admin) throws Exception;
    }

    /** Runs one Admin call against the brokers that are up, with short timeouts. */
    private <T> T admin(AdminCall<T> call) {
        String bootstrap = brokers.stream().filter(b -> b.node.isRunning())
                .map(b -> "127.0.0.1:" + b.advertisedClientPort).collect(Collectors.joining(","));
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException("No broker is running");
        }
        try (Admin admin = Admin.create(new KafkaConnection(bootstrap, this.admin).clientProperties(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000)))) {
            return call.call(admin);
        }
        catch (ExecutionException e) {
            throw new KafkaAdminFailure(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminFailure(e);
        }
        catch (RuntimeException e) {
            throw e;
        }
        catch (Exception e) {
            throw new KafkaAdminFailure(e);
        }
    }

    /** An Admin call that failed (often: not yet, a broker is starting or just died). */
    static final class KafkaAdminFailure extends RuntimeException {
        KafkaAdminFailure(Throwable cause) {
            super(cause);
        }
    }

    private static String ids(Collection<Broker> brokers) {
        return brokers.stream().map(b -> String.valueOf(b.id())).collect(Collectors.joining(",", "[", "]"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** One broker of the cluster: its process and its proxies. */
    public static final class Broker {

        private final LocalKafkaNode node;
        private final int clientPort;
        private final int advertisedClientPort;
        private final KafkaFaultProxy clientProxy;
        private final KafkaFaultProxy replicationProxy;
        private LocalKafkaCluster cluster;

        private Broker(LocalKafkaNode node, int clientPort, int advertisedClientPort, KafkaFaultProxy clientProxy,
                KafkaFaultProxy replicationProxy) {
            this.node = node;
            this.clientPort = clientPort;
            this.advertisedClientPort = advertisedClientPort;
            this.clientProxy = clientProxy;
            this.replicationProxy = replicationProxy;
        }

        public int id() {
            return node.id();
        }

        /** Its address for clients (its client proxy's, if it has one). */
        public String address() {
            return "127.0.0.1:" + advertisedClientPort;
        }

        public boolean isRunning() {
            return node.isRunning();
        }

        public Path logFile() {
            return node.logFile();
        }

        /** The proxy every client connection to this broker passes through. */
        public Optional<KafkaFaultProxy> clientProxy() {
            return Optional.ofNullable(clientProxy);
        }

        /** The proxy the other brokers' fetches from this one pass through (three-broker clusters). */
        public Optional<KafkaFaultProxy> replicationProxy() {
            return Optional.ofNullable(replicationProxy);
        }

        /**
         * Holds back the followers' fetches from this broker until {@link #releaseReplication()}:
         * what it appends as leader from now on stays only on it. {@code acks=all} writes wait
         * (the followers have not confirmed them), {@code acks=1} writes are acknowledged at once.
         */
        public void holdReplication() {
            replicationProxy().orElseThrow(() -> new IllegalStateException("Broker " + id() + " has no replication proxy"))
                    .hold();
        }

        public void releaseReplication() {
            replicationProxy().ifPresent(KafkaFaultProxy::release);
        }

        /** SIGKILL: a crash. Returns at once; the controller fences it after its session timeout. */
        public void kill() {
            log.info("Broker {} killed (SIGKILL, pid {})", id(), node.pid());
            node.kill();
            // Connections through the proxies to a dead broker: gone at once, as with a real crash.
            clientProxy().ifPresent(KafkaFaultProxy::cutAllConnections);
            replicationProxy().ifPresent(KafkaFaultProxy::cutAllConnections);
        }

        /** A controlled shutdown (SIGTERM): leadership moves away before it exits. */
        public void stop() {
            log.info("Broker {} stopped (SIGTERM)", id());
            node.stop();
        }

        /** Starts it again on its data and ports and waits until the controller lists it. */
        public void start() {
            cluster.start(List.of(this));
        }

        @Override
        public String toString() {
            return "broker " + id() + " (" + address() + ", port " + clientPort + ")";
        }
    }
}
