package dev.adclicks.model;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The pipeline's topics, declared once: their names, their partition count and how they are
 * created. The services, the fault lab, the benchmark and the tests use these; compose's
 * {@code kafka-init} spells them out in shell, and {@code DockerComposeFileTest} checks it against
 * {@link #ALL} and {@link #PARTITIONS}. Every record on {@link #AD_CLICKS} and {@link #AD_EVENTS}
 * is keyed by adId.
 */
public final class Topics {

    /** Clicks as accepted over HTTP; written by the idempotent producer. */
    public static final String AD_CLICKS = "ad-clicks";

    /** Priced events; written by the relay inside transactions, read {@code read_committed}. */
    public static final String AD_EVENTS = "ad-events";

    /** Well-formed clicks the relay refused, with the reason. Same transaction as the events. */
    public static final String AD_CLICKS_REJECTED = "ad-clicks-rejected";

    /** Records of {@link #AD_CLICKS} that could not be read at all, with the error in headers. */
    public static final String AD_CLICKS_DLT = "ad-clicks.DLT";

    /** Records of {@link #AD_EVENTS} the sink could not read, with the error in headers. */
    public static final String AD_EVENTS_DLT = "ad-events.DLT";

    /**
     * Made-up events the relay commits in transactions of its own while it starts, before it joins
     * its group ({@code TransactionWarmUp}); no one reads them. Keyed by made-up adIds.
     */
    public static final String RELAY_WARM_UP = "ad-event-relay.warm-up";

    /** Every topic of the pipeline. */
    public static final List<String> ALL = List.of(AD_CLICKS, AD_EVENTS, AD_CLICKS_REJECTED, AD_CLICKS_DLT, AD_EVENTS_DLT,
            RELAY_WARM_UP);

    /**
     * Partitions of every topic: one consumer per partition is as far as the relay and the sink
     * scale out, and all clicks of an adId stay in order on one of them.
     */
    public static final int PARTITIONS = 3;

    private Topics() {
    }

    /**
     * The given topics as an admin client creates them: {@link #PARTITIONS} partitions, the
     * deployment's replication factor (1 on a single broker; 3 in production and in the lab's
     * cluster) and {@link #minInsyncReplicas} set on the topic itself, whatever the broker's default.
     */
    public static List<NewTopic> declarations(List<String> topics, short replicationFactor) {
        return topics.stream().map(topic -> new NewTopic(topic, PARTITIONS, replicationFactor)
                .configs(Map.of("min.insync.replicas", String.valueOf(minInsyncReplicas(replicationFactor))))).toList();
    }

    /**
     * {@code min.insync.replicas} for a replication factor: all but one replica, at least 1 (2 of 3).
     * An {@code acks=all} write is acknowledged once that many replicas have it, so it survives the
     * loss of any one broker; with fewer in sync, writes are refused ({@code NotEnoughReplicas})
     * rather than accepted onto a single copy.
     */
    public static int minInsyncReplicas(short replicationFactor) {
        return Math.max(1, replicationFactor - 1);
    }
}
