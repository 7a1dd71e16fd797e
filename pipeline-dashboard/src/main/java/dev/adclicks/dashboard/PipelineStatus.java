package dev.adclicks.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard shows, in one JSON document ({@code GET /api/pipeline}).
 *
 * <p>Counters marked "since start" are the services' own meters, added up over their instances:
 * they restart at 0 when a service restarts. The {@code durable} numbers come from Kafka and MySQL
 * and do not. {@code cluster} is {@code null} when Kafka did not describe itself within
 * {@code dashboard.timeout}.
 */
public record PipelineStatus(Instant at, Producer producer, Relay relay, Sink sink, Durable durable, Lag lag,
        Cluster cluster, List<Guard> guards, List<String> unreachable) {

    /**
     * Since start, over all producer instances. {@code retries}: batches the idempotent producer
     * re-sent (deduplicated by the broker).
     */
    public record Producer(int instances, long accepted, long failed, long retries) {
    }

    /** Since start, over all relay instances. */
    public record Relay(int instances, long transactionsCommitted, long transactionsAborted, long eventsCommitted,
            long rejectedCommitted, long deadLetteredCommitted, long abortedRecords) {
    }

    /** Since start, over all sink instances. */
    public record Sink(int instances, long inserted, long duplicatesAbsorbed, long deadLettered,
            long failedBatchAttempts) {
    }

    /**
     * From the broker and the database.
     *
     * @param adClicksRecords records in ad-clicks (re-sent clicks included)
     * @param adEventsEndOffset end of ad-events: committed events plus transaction markers and aborted records
     * @param rowsInMysql rows in click_event: one per distinct click
     * @param clicksInAggregates clicks summed over ad_daily_stats: equal to the rows when nothing was counted twice
     */
    public record Durable(Long adClicksRecords, Long adEventsEndOffset, Long rowsInMysql, Long clicksInAggregates) {
    }

    /** Records not yet committed by each consumer group ({@code null}: unknown right now). */
    public record Lag(Long relay, Long sink) {
    }

    /**
     * The Kafka cluster: its brokers, and every partition of the pipeline's topics.
     *
     * @param topicsNotCreated pipeline topics that do not exist (yet)
     * @param underReplicated partitions with fewer replicas in sync than they have
     * @param belowMinIsr partitions with fewer replicas in sync than {@code min.insync.replicas}: the
     *        leader refuses their {@code acks=all} writes, which are all the pipeline's
     *        (NotEnoughReplicas), until enough replicas are back
     * @param withoutLeader partitions with no leader: neither read nor written until one is elected
     */
    public record Cluster(List<Broker> brokers, List<Partition> partitions, List<String> topicsNotCreated,
            int underReplicated, int belowMinIsr, int withoutLeader) {
    }

    /**
     * A broker of the cluster.
     *
     * @param host where it is reached ({@code null} for a broker known only as a replica: not registered)
     * @param up registered and not fenced: the controller fences a broker whose heartbeats stop
     * @param leaderOf partitions of the pipeline's topics it leads
     */
    public record Broker(int id, String host, Integer port, boolean up, int leaderOf) {
    }

    /**
     * One partition of a pipeline topic.
     *
     * @param leader the broker that leads it; {@code null} when it has none
     * @param replicas the brokers holding a copy, the preferred leader first
     * @param isr the replicas in sync with the leader (the leader included)
     * @param minIsr the topic's {@code min.insync.replicas} ({@code null}: unknown)
     * @param underReplicated fewer replicas in sync than replicas
     * @param belowMinIsr fewer replicas in sync than {@code minIsr}: {@code acks=all} writes refused
     */
    public record Partition(String topic, int partition, Integer leader, List<Integer> replicas, List<Integer> isr,
            Integer minIsr, boolean underReplicated, boolean belowMinIsr) {
    }

    /** One guard and how many duplicates it stopped since its services started. */
    public record Guard(String name, String where, long blocked, String meaning) {
    }
}
