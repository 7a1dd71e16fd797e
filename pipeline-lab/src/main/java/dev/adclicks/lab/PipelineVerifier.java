package dev.adclicks.lab;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import dev.adclicks.infra.KafkaConnection;
import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

/**
 * Compares SETS of clickIds, layer by layer, against what the producer acknowledged (202):
 *
 * <ul>
 * <li>lost at a layer: acknowledged clickIds that are not there;</li>
 * <li>duplicated in ad-clicks: records beyond the HTTP sends of their clickId (only a producer
 * retry without idempotence writes more records than it was asked to);</li>
 * <li>duplicated in ad-events: committed events beyond the ad-clicks records of their clickId
 * (the relay must turn every record into exactly one event);</li>
 * <li>duplicated in MySQL: rows beyond one per clickId; in the aggregates: counted clicks beyond
 * the rows;</li>
 * <li>aborted reads: rows made from an event that only exists in an aborted transaction (told
 * apart by its relayedAt) — what a read_committed consumer must never see;</li>
 * <li>out of order: adIds whose committed events do not follow the order of their clicks in
 * ad-clicks ({@link ClickOrder});</li>
 * <li>what the {@link LiveCommittedReader} saw during the run: duplicates and records not committed
 * (both must be 0), and every committed event of the run read.</li>
 * </ul>
 */
public final class PipelineVerifier {

    private static final String EVENTS_LAYER = "ad-events (read_committed)";

    private final PipelineInfrastructure infra;

    public PipelineVerifier(PipelineInfrastructure infra) {
        this.infra = infra;
    }

    /** Rows stored so far for ads of this prefix (to wait for the pipeline to drain). */
    public long rowsStored(String adPrefix) {
        try (Connection connection = connect();
                PreparedStatement statement = connection
                        .prepareStatement("SELECT COUNT(*) FROM click_event WHERE ad_id LIKE ?")) {
            statement.setString(1, adPrefix + "%");
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
        catch (SQLException e) {
            return -1; // the database may be in an outage right now
        }
    }

    /** No transaction is left open on ad-events, and both groups consumed their input. */
    public boolean settled() {
        KafkaConnection kafka = infra.kafkaAdminConnection();
        return TopicReader.endOffsets(kafka, Topics.AD_EVENTS, IsolationLevel.READ_COMMITTED)
                .equals(TopicReader.endOffsets(kafka, Topics.AD_EVENTS, IsolationLevel.READ_UNCOMMITTED))
                && TopicReader.consumedToTheEnd(kafka, "ad-event-relay", Topics.AD_CLICKS)
                && TopicReader.consumedToTheEnd(kafka, "ad-event-sink", Topics.AD_EVENTS);
    }

    /**
     * The adIds of this prefix whose committed events are out of the order of their clicks (see
     * {@link ClickOrder}), read from the topics as they are now.
     */
    public Set<String> adsOutOfOrder(String adPrefix) {
        KafkaConnection kafka = infra.kafkaAdminConnection();
        List<ConsumerRecord<String, byte[]>> clicks = ours(TopicReader.readAll(kafka, Topics.AD_CLICKS,
                IsolationLevel.READ_UNCOMMITTED), adPrefix);
        List<ConsumerRecord<String, byte[]>> events = ours(TopicReader.readAll(kafka, Topics.AD_EVENTS,
                IsolationLevel.READ_COMMITTED), adPrefix);
        return ClickOrder.adsOutOfOrder(clickIdsPerAd(clicks, PipelineVerifier::clickOf),
                clickIdsPerAd(events, PipelineVerifier::eventOf));
    }

    /**
     * @param live what the {@link LiveCommittedReader} found, stopped after the drain
     */
    public Report verify(String adPrefix, ClickLoad.Result load, LiveCommittedReader.Result live) {
        KafkaConnection kafka = infra.kafkaAdminConnection();
        Set<UUID> acknowledged = load.acknowledged().keySet();

        List<ConsumerRecord<String, byte[]>> clickRecords = ours(TopicReader.readAll(kafka, Topics.AD_CLICKS,
                IsolationLevel.READ_UNCOMMITTED), adPrefix);
        Map<UUID, Long> clicks = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : clickRecords) {
            clicks.merge(PipelineJson.read(record.value(), AdClick.class).clickId(), 1L, Long::sum);
        }

        List<ConsumerRecord<String, byte[]>> eventRecords = ours(TopicReader.readAll(kafka, Topics.AD_EVENTS,
                IsolationLevel.READ_COMMITTED), adPrefix);
        long outOfOrder = ClickOrder.adsOutOfOrder(clickIdsPerAd(clickRecords, PipelineVerifier::clickOf),
                clickIdsPerAd(eventRecords, PipelineVerifier::eventOf)).size();
        Map<UUID, Long> events = new HashMap<>();
        Set<String> committedVersions = new HashSet<>();
        Set<String> committedOffsets = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : eventRecords) {
            AdEvent event = PipelineJson.read(record.value(), AdEvent.class);
            events.merge(event.clickId(), 1L, Long::sum);
            committedVersions.add(version(event.clickId(), event.relayedAt()));
            committedOffsets.add(record.partition() + "@" + record.offset());
        }
        Set<String> abortedVersions = new HashSet<>();
        long abortedRecords = 0;
        for (ConsumerRecord<String, byte[]> record : ours(TopicReader.readAll(kafka, Topics.AD_EVENTS,
                IsolationLevel.READ_UNCOMMITTED), adPrefix)) {
            if (!committedOffsets.contains(record.partition() + "@" + record.offset())) {
                abortedRecords++;
                AdEvent event = PipelineJson.read(record.value(), AdEvent.class);
                abortedVersions.add(version(event.clickId(), event.relayedAt()));
            }
        }
        abortedVersions.removeAll(committedVersions);

        Map<UUID, Long> rows = new HashMap<>();
        long abortedReads = 0;
        long rowCost = 0;
        List<Long> latenciesMillis = new ArrayList<>();
        List<Long> toRelayMillis = new ArrayList<>();
        List<Long> toRowMillis = new ArrayList<>();
        List<Long> scheduledToRowMillis = new ArrayList<>();
        TreeMap<Long, Long> rowsPerSecond = new TreeMap<>();
        TreeMap<Long, Long> longestWaitBySecond = new TreeMap<>();
        TreeMap<Long, Long> slowClicksBySecond = new TreeMap<>();
        TreeMap<Long, Long> longestToRelayBySecond = new TreeMap<>();
        long aggregateClicks;
        long aggregateSpend;
        try (Connection connection = connect()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT click_id, relayed_at, stored_at, cost_micros FROM click_event WHERE ad_id LIKE ?")) {
                statement.setString(1, adPrefix + "%");
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        UUID clickId = UUID.fromString(result.getString(1));
                        Instant relayedAt = result.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                        Instant storedAt = result.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                        rows.merge(clickId, 1L, Long::sum);
                        rowCost += result.getLong(4);
                        if (abortedVersions.contains(version(clickId, relayedAt))) {
                            abortedReads++;
                        }
                        Instant acceptedAt = load.acceptedAt().get(clickId);
                        if (acceptedAt != null) {
                            long waited = Math.max(0, Duration.between(acceptedAt, storedAt).toMillis());
                            latenciesMillis.add(waited);
                            long second = Math.max(0, Duration.between(load.started(), acceptedAt).toSeconds());
                            long toRelay = Math.max(0, Duration.between(acceptedAt, relayedAt).toMillis());
                            longestWaitBySecond.merge(second, waited, Math::max);
                            if (waited > FaultCost.SLOW_MILLIS) {
                                slowClicksBySecond.merge(second, 1L, Long::sum);
                            }
                            longestToRelayBySecond.merge(second, toRelay, Math::max);
                            toRelayMillis.add(toRelay);
                            Instant scheduledAt = load.scheduledAt().get(clickId);
                            if (scheduledAt != null) {
                                scheduledToRowMillis.add(Math.max(0, Duration.between(scheduledAt, storedAt).toMillis()));
                            }
                            toRowMillis.add(Math.max(0, Duration.between(relayedAt, storedAt).toMillis()));
                        }
                        rowsPerSecond.merge(Math.max(0, Duration.between(load.started(), storedAt).toSeconds()), 1L,
                                Long::sum);
                    }
                }
            }
            aggregateClicks = sum(connection, "SELECT COALESCE(SUM(clicks), 0) FROM ad_daily_stats WHERE ad_id LIKE ?",
                    adPrefix);
            aggregateSpend = sum(connection,
                    "SELECT COALESCE(SUM(spend_micros), 0) FROM ad_daily_stats WHERE ad_id LIKE ?", adPrefix);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot read MySQL", e);
        }

        long sends = load.totalSends();
        long recordsInClicks = total(clicks);
        long recordsInEvents = total(events);
        long rowCount = total(rows);
        List<Layer> layers = List.of(
                new Layer("HTTP 202 (producer)", load.totalAcknowledged(), acknowledged.size(), 0, 0),
                new Layer("ad-clicks", recordsInClicks, clicks.size(), missing(acknowledged, clicks),
                        beyond(clicks, id -> (long) load.sends().getOrDefault(id, 0))),
                new Layer(EVENTS_LAYER, recordsInEvents, events.size(), missing(acknowledged, events),
                        beyond(events, id -> clicks.getOrDefault(id, 0L))),
                new Layer("MySQL click_event rows", rowCount, rows.size(), missing(acknowledged, rows),
                        beyond(rows, id -> 1L)),
                new Layer("MySQL ad_daily_stats clicks", aggregateClicks, rows.size(), Math.max(0, rowCount - aggregateClicks),
                        Math.max(0, aggregateClicks - rowCount)));
        long absorbed = rows.keySet().stream().mapToLong(id -> Math.max(0, events.getOrDefault(id, 0L) - 1)).sum();
        return new Report(layers, sends, absorbed, abortedRecords, abortedReads, outOfOrder, live, rowCount,
                rowCost, aggregateClicks, aggregateSpend, Latency.of(latenciesMillis),
                new Latency.Stages(Latency.of(toRelayMillis), Latency.of(toRowMillis)), rowsPerSecond,
                longestWaitBySecond, slowClicksBySecond, longestToRelayBySecond, Latency.of(scheduledToRowMillis));
    }

    private static List<ConsumerRecord<String, byte[]>> ours(List<ConsumerRecord<String, byte[]>> records,
            String adPrefix) {
        return records.stream().filter(record -> record.key() != null && record.key().startsWith(adPrefix)).toList();
    }

    /**
     * Per adId (the record key), the clickIds of its records in offset order. An adId lives in one
     * partition, so sorting by partition, then offset, puts each adId's records in offset order.
     */
    private static Map<String, List<UUID>> clickIdsPerAd(List<ConsumerRecord<String, byte[]>> records,
            Function<byte[], UUID> clickId) {
        Map<String, List<UUID>> perAd = new HashMap<>();
        records.stream()
                .sorted(Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset))
                .forEach(record -> perAd.computeIfAbsent(record.key(), adId -> new ArrayList<>())
                        .add(clickId.apply(record.value())));
        return perAd;
    }

    private static UUID clickOf(byte[] click) {
        return PipelineJson.read(click, AdClick.class).clickId();
    }

    private static UUID eventOf(byte[] event) {
        return PipelineJson.read(event, AdEvent.class).clickId();
    }

    private static String version(UUID clickId, Instant relayedAt) {
        return clickId + "/" + relayedAt.truncatedTo(ChronoUnit.MICROS);
    }

    private static long missing(Set<UUID> expected, Map<UUID, Long> present) {
        return expected.stream().filter(id -> !present.containsKey(id)).count();
    }

    private static long beyond(Map<UUID, Long> present, java.util.function.ToLongFunction<UUID> allowed) {
        return present.entrySet().stream()
                .mapToLong(entry -> Math.max(0, entry.getValue() - allowed.applyAsLong(entry.getKey()))).sum();
    }

    private static long total(Map<UUID, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long sum(Connection connection, String sql, String adPrefix) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, adPrefix + "%");
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(infra.jdbcUrl() + "&connectTimeout=3000", infra.jdbcUsername(),
                infra.jdbcPassword());
    }

    /** The committed offsets of every partition (what "settled" compares), for reports. */
    public Map<TopicPartition, Long> committed(String group, String topic) {
        return TopicReader.committedOffsets(infra.kafkaAdminConnection(), group, topic);
    }

    /**
     * One layer of the pipeline compared with what it should hold.
     *
     * @param lost acknowledged clickIds missing from this layer
     * @param duplicated copies beyond what this layer may legitimately hold
     */
    public record Layer(String name, long records, long distinct, long lost, long duplicated) {
    }

    public record Latency(long p50, long p99, long max, int samples) {

        /**
         * The two legs of a click's latency: 202 to the relay's processing ({@code relayed_at}, so
         * the relay's poll wait), and from there to the row (the relay's commit, the sink's fetch of
         * a committed transaction, its insert and commit).
         */
        public record Stages(Latency toRelay, Latency toRow) {
        }

        static Latency of(List<Long> millis) {
            if (millis.isEmpty()) {
                return new Latency(0, 0, 0, 0);
            }
            List<Long> sorted = new ArrayList<>(millis);
            sorted.sort(null);
            return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1),
                    sorted.size());
        }

        private static long percentile(List<Long> sorted, double p) {
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }
    }

    /**
     * @param httpSends every HTTP send, retries and re-sends included
     * @param absorbedBySink committed events of stored clickIds beyond the first: the copies the sink did
     *        not store again (found by click_id and skipped; INSERT IGNORE in at-least-once mode): client
     *        re-sends, and duplicate events in the weaker modes
     * @param abortedRecords records in ad-events that belong to aborted transactions
     * @param abortedReads rows made from an event of an aborted transaction (must be 0)
     * @param outOfOrder adIds whose committed events are not in the order of their clicks (must be 0)
     * @param live what the read_committed reader running during the faults saw; exactly once needs no
     *        duplicate, no record of an aborted transaction, and as many records as were committed
     * @param rowsPerSecond rows stored per second since the load started
     * @param longestWaitBySecond per second since the load started, the longest time (ms) from 202 to
     *        row of the clicks first accepted in that second
     * @param slowClicksBySecond per second since the load started, how many of the clicks first
     *        accepted in that second waited more than {@link FaultCost#SLOW_MILLIS} from 202 to row
     * @param longestToRelayBySecond the same for the first leg: the longest time (ms) from 202 to the
     *        relay's {@code relayed_at}
     * @param scheduledToRow from when the offered rate wanted each click sent to its row: the wait
     *        for the 202 included, which {@code latency} (from the 202) leaves out
     */
    public record Report(List<Layer> layers, long httpSends, long absorbedBySink, long abortedRecords,
            long abortedReads, long outOfOrder, LiveCommittedReader.Result live, long rows, long rowCostMicros,
            long aggregateClicks, long aggregateSpendMicros, Latency latency, Latency.Stages stages, Map<Long, Long> rowsPerSecond,
            Map<Long, Long> longestWaitBySecond, Map<Long, Long> slowClicksBySecond,
            Map<Long, Long> longestToRelayBySecond, Latency scheduledToRow) {

        public long lost() {
            return layers.stream().mapToLong(Layer::lost).max().orElse(0);
        }

        public long duplicated() {
            return layers.stream().mapToLong(Layer::duplicated).sum();
        }

        /** Committed events of the run in ad-events, as the end check read them. */
        public long committedEvents() {
            return layers.stream().filter(layer -> layer.name().equals(EVENTS_LAYER)).mapToLong(Layer::records)
                    .sum();
        }

        /** Whether the live reader read every committed event and nothing else, each once. */
        public boolean liveReaderSawExactlyTheCommittedEvents() {
            return live.duplicates() == 0 && live.abortedReads() == 0 && live.recordsRead() == committedEvents();
        }

        public boolean exactlyOnce() {
            return layers.stream().allMatch(layer -> layer.lost() == 0 && layer.duplicated() == 0) && abortedReads == 0
                    && outOfOrder == 0 && liveReaderSawExactlyTheCommittedEvents()
                    && aggregateClicks == rows && aggregateSpendMicros == rowCostMicros;
        }

        public String table() {
            StringBuilder out = new StringBuilder(String.format("%-30s %9s %9s %7s %11s%n", "stage", "records",
                    "clickIds", "lost", "duplicated"));
            for (Layer layer : layers) {
                out.append(String.format("%-30s %9d %9d %7d %11d%n", layer.name(), layer.records(), layer.distinct(),
                        layer.lost(), layer.duplicated()));
            }
            out.append(String.format("HTTP sends (retries and re-sends included): %d%n", httpSends));
            out.append(String.format("re-sent clicks absorbed by the sink (stored once per click_id): %d%n", absorbedBySink));
            out.append(String.format("records of aborted transactions in ad-events: %d; seen by a read_committed reader: %d%n",
                    abortedRecords, abortedReads));
            out.append(String.format("adIds whose committed events are out of ad-clicks order: %d%n", outOfOrder));
            out.append(String.format("live read_committed reader during the run: %d records read of %d committed, "
                    + "duplicates %d, records of aborted transactions %d%n", live.recordsRead(), committedEvents(),
                    live.duplicates(), live.abortedReads()));
            out.append(String.format("aggregates: clicks %d vs rows %d, spend %d vs row cost %d micros%n",
                    aggregateClicks, rows, aggregateSpendMicros, rowCostMicros));
            out.append(String.format("latency accepted -> row committed: p50 %d ms, p99 %d ms, max %d ms%n",
                    latency.p50(), latency.p99(), latency.max()));
            out.append(String.format("  of which 202 -> relayed: p50 %d ms, p99 %d ms; relayed -> row: p50 %d ms, p99 %d ms%n",
                    stages.toRelay().p50(), stages.toRelay().p99(), stages.toRow().p50(), stages.toRow().p99()));
            return out.toString();
        }
    }
}
