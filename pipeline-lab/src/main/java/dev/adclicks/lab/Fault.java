package dev.adclicks.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;

import dev.adclicks.infra.KafkaFaultProxy;
import dev.adclicks.infra.LocalKafkaCluster;
import dev.adclicks.infra.LocalKafkaCluster.Broker;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.model.Topics;

/** The faults the lab injects, each aimed at one failure window of the pipeline. */
public enum Fault {

    /** SIGKILL the relay at an arbitrary moment under load, then restart it. */
    RELAY_KILL("relay killed (SIGKILL) and restarted") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess relay = pipeline.relay();
            relay.kill();
            relay.start().awaitHealthy();
        }
    },

    /**
     * The relay's test aid, armed by its trigger file: the running relay halts with a transaction
     * sent but not committed; then it is restarted.
     */
    RELAY_HALT_IN_TRANSACTION("relay halted after its sends and its offsets joined the transaction, before its commit, then restarted") {
        @Override
        void inject(Pipeline pipeline) {
            haltAndRestart(pipeline.relay(), Pipeline.RELAY_HALT_TRIGGER);
        }
    },

    /** SIGKILL the sink at an arbitrary moment under load, then restart it. */
    SINK_KILL("sink killed (SIGKILL) and restarted") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess sink = pipeline.sink();
            sink.kill();
            sink.start().awaitHealthy();
        }
    },

    /**
     * The sink's test aid, armed by its trigger file: the running sink halts after a DB commit,
     * before the offset commit; then it is restarted.
     */
    SINK_HALT_AFTER_DB_COMMIT("sink halted between its DB commit and its offset commit, then restarted") {
        @Override
        void inject(Pipeline pipeline) {
            haltAndRestart(pipeline.sink(), Pipeline.SINK_HALT_TRIGGER);
        }
    },

    /**
     * The fault proxy drops the broker's answers to three produce requests of the producer: on the
     * cluster, the proxy of the leader of ad-clicks partition 0 (every leader gets the producer's
     * requests for its partitions).
     */
    ACK_LOSS("3 produce acks lost between producer and broker (connection cut after the append)") {
        @Override
        void inject(Pipeline pipeline) {
            PipelineInfrastructure infra = pipeline.infra();
            KafkaFaultProxy proxy = infra.kafkaCluster()
                    .map(cluster -> cluster.leaderOf(new TopicPartition(Topics.AD_CLICKS, 0)).orElseThrow()
                            .clientProxy().orElseThrow())
                    .or(infra::kafkaFaultProxy)
                    .orElseThrow(() -> new IllegalStateException("ACK_LOSS needs the local backend's fault proxies"));
            if (pipeline.options().profile().equals("at-most-once")) {
                return; // acks=0: the broker sends no ack that could be lost
            }
            int before = proxy.cutsDone();
            proxy.cutAfterProduceRequests(3, "ad-click-producer");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (proxy.cutsDone() < before + 3) {
                if (System.nanoTime() > deadline) {
                    proxy.cutAfterProduceRequests(0, "ad-click-producer");
                    throw new IllegalStateException("ACK_LOSS: only " + (proxy.cutsDone() - before)
                            + " of 3 produce acks were cut within 60 s: is load flowing through the proxy?");
                }
                ServiceProcess.sleep(100);
            }
        }
    },

    /**
     * SIGSTOP the second relay past its session timeout, so its partitions move to the first, then
     * SIGCONT it: it wakes up mid-transaction as a zombie and must be fenced, not committed.
     */
    ZOMBIE_RELAY("relay 2 paused (SIGSTOP) for " + Zombie.PAUSE.toSeconds() + " s, "
            + Zombie.PAUSE.minus(PipelineInfrastructure.GROUP_SESSION_TIMEOUT).toSeconds() + " s past its "
            + PipelineInfrastructure.GROUP_SESSION_TIMEOUT.toSeconds() + " s session timeout, then resumed as a zombie") {
        @Override
        void inject(Pipeline pipeline) {
            ServiceProcess zombie = pipeline.relays().get(pipeline.relays().size() - 1);
            zombie.pause();
            ServiceProcess.sleep(Zombie.PAUSE.toMillis()); // the fault IS the passing of time
            zombie.resume();
            if (!zombie.isHealthy()) {
                // stopped for good (health DOWN, fenced twice) is a correct reaction; an operator restarts it
                ServiceProcess.sleep(2_000);
                if (!zombie.isHealthy()) {
                    zombie.kill();
                    zombie.start().awaitHealthy();
                }
            }
        }
    },

    /**
     * SIGKILL the broker leading ad-clicks partition 0 under load; restart it once its partitions
     * have new leaders, and wait until every partition is fully replicated again.
     */
    LEADER_KILL_CLICKS("leader of ad-clicks partition 0 killed (SIGKILL), restarted after the failover") {
        @Override
        void inject(Pipeline pipeline) {
            killAndRestart(cluster(pipeline), leader(pipeline, new TopicPartition(Topics.AD_CLICKS, 0)));
        }
    },

    /** As {@link #LEADER_KILL_CLICKS}, for the leader of ad-events partition 1 (the relay's output). */
    LEADER_KILL_EVENTS("leader of ad-events partition 1 killed (SIGKILL), restarted after the failover") {
        @Override
        void inject(Pipeline pipeline) {
            killAndRestart(cluster(pipeline), leader(pipeline, new TopicPartition(Topics.AD_EVENTS, 1)));
        }
    },

    /**
     * SIGKILL the broker coordinating the first relay's transactions (the leader of its
     * __transaction_state partition) while the relay has one open, as it has all the time under load.
     */
    COORDINATOR_KILL("transaction coordinator of relay 1 killed (SIGKILL), restarted after the failover") {
        @Override
        void inject(Pipeline pipeline) {
            LocalKafkaCluster cluster = cluster(pipeline);
            Broker coordinator = cluster.transactionCoordinator(relayTransactionalId(pipeline));
            killAndRestart(cluster, coordinator);
        }
    },

    /**
     * Every broker in turn: SIGKILL, restart, wait until every partition is fully replicated again
     * (Kafka's own transaction system test bounces its brokers the same way).
     */
    ROLLING_BOUNCE("rolling hard bounce: each broker killed (SIGKILL) and restarted in turn") {
        @Override
        void inject(Pipeline pipeline) {
            LocalKafkaCluster cluster = cluster(pipeline);
            for (Broker broker : cluster.brokers()) {
                killAndRestart(cluster, broker);
            }
        }
    },

    /**
     * Two of three brokers killed: once the controller has fenced them every ISR is down to one
     * replica, below min.insync.replicas=2, so acks=all writes are refused (NotEnoughReplicas): the
     * producer answers 503, the relay's transactions abort. After 10 s both come back.
     */
    TWO_BROKERS_DOWN("two of three brokers killed (SIGKILL) for 10 s past their fencing: writes refused") {
        @Override
        void inject(Pipeline pipeline) {
            LocalKafkaCluster cluster = cluster(pipeline);
            List<Broker> down = List.of(cluster.broker(2), cluster.broker(3));
            down.forEach(Broker::kill);
            // the fault IS the outage: fencing (6 s) then 10 s of refused writes
            ServiceProcess.sleep(LocalKafkaCluster.BROKER_SESSION_TIMEOUT_MS + 10_000);
            cluster.start(down);
            cluster.awaitFullyReplicated(REPLICATED_AGAIN);
        }
    },

    /**
     * The window acks=1 leaves open: the followers' fetches from the leader of ad-clicks partition
     * 0 are held back for 3 s under load, so what it acknowledges with acks=1 lives only on it; then
     * it is killed and a follower that never got those records becomes leader. acks=all writes are
     * not acknowledged while held and are retried to the new leader.
     */
    UNREPLICATED_LEADER_KILL("replication from the leader of ad-clicks partition 0 held back 3 s, then the leader killed (SIGKILL)") {
        @Override
        void inject(Pipeline pipeline) {
            LocalKafkaCluster cluster = cluster(pipeline);
            TopicPartition partition = new TopicPartition(Topics.AD_CLICKS, 0);
            Broker leader = leader(pipeline, partition);
            leader.holdReplication();
            try {
                ServiceProcess.sleep(3_000); // the fault IS the time the followers lag behind
                leader.kill();
            }
            finally {
                leader.releaseReplication();
            }
            awaitNewLeader(cluster, partition, leader);
            leader.start();
            cluster.awaitFullyReplicated(REPLICATED_AGAIN);
        }
    },

    /** Stop MySQL for 10 s and start it again: the sink must hold its offsets and retry. */
    MYSQL_OUTAGE("MySQL down for 10 s") {
        @Override
        void inject(Pipeline pipeline) {
            pipeline.infra().stopDatabase();
            ServiceProcess.sleep(10_000); // the fault IS the outage
            pipeline.infra().startDatabase();
        }
    };

    private static final Duration REPLICATED_AGAIN = Duration.ofSeconds(120);

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    abstract void inject(Pipeline pipeline);

    /**
     * Creates the trigger file of {@code service}'s halt test aid ({@code triggerProperty}), waits
     * until the service has halted itself at its fault point, removes the file and restarts it.
     */
    private static void haltAndRestart(ServiceProcess service, String triggerProperty) {
        Path trigger = Path.of(service.property(triggerProperty));
        try {
            Files.createFile(trigger);
            service.awaitExit(Duration.ofMinutes(2));
            Files.delete(trigger);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service.start().awaitHealthy();
    }

    /** Whether this fault needs the three-broker cluster. */
    public boolean needsCluster() {
        return switch (this) {
            case LEADER_KILL_CLICKS, LEADER_KILL_EVENTS, COORDINATOR_KILL, ROLLING_BOUNCE, TWO_BROKERS_DOWN,
                    UNREPLICATED_LEADER_KILL -> true;
            default -> false;
        };
    }

    private static LocalKafkaCluster cluster(Pipeline pipeline) {
        return pipeline.infra().kafkaCluster()
                .orElseThrow(() -> new IllegalStateException("This fault needs the three-broker cluster "
                        + "(PipelineInfrastructure.startLocalCluster())"));
    }

    private static Broker leader(Pipeline pipeline, TopicPartition partition) {
        return cluster(pipeline).leaderOf(partition)
                .orElseThrow(() -> new IllegalStateException("No leader for " + partition));
    }

    private static String relayTransactionalId(Pipeline pipeline) {
        // RelayProperties.transactionalId(): "ad-event-relay-" + relay.instance-id
        return "ad-event-relay-" + pipeline.relay().property("relay.instance-id");
    }

    /**
     * SIGKILL, wait until the controller has fenced it (after its session timeout) and every
     * partition it led has a new leader, restart, wait until every partition is back to its full ISR.
     */
    private static void killAndRestart(LocalKafkaCluster cluster, Broker broker) {
        broker.kill();
        cluster.awaitLeadershipMovedFrom(broker, Duration.ofSeconds(60));
        broker.start();
        cluster.awaitFullyReplicated(REPLICATED_AGAIN);
    }

    private static void awaitNewLeader(LocalKafkaCluster cluster, TopicPartition partition, Broker old) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                Optional<Broker> leader = cluster.leaderOf(partition);
                if (leader.isPresent() && leader.get() != old) {
                    return;
                }
            }
            catch (RuntimeException notYet) {
                // metadata unavailable for a moment while leadership moves
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No new leader for " + partition + " within 60 s of killing " + old);
            }
            ServiceProcess.sleep(200);
        }
    }

    /**
     * The zombie fault's pause, read by its description and its injection alike; a holder class
     * because an enum constant's arguments cannot read a static {@code Duration} of their own enum.
     */
    private static final class Zombie {
        static final Duration PAUSE = Duration.ofSeconds(10);
    }
}
