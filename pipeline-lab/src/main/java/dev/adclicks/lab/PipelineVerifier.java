package dev.adclicks.lab;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;

import dev.adclicks.infra.PipelineInfrastructure;
import dev.adclicks.infra.TopicReader;
import dev.adclicks.model.AdClick;
import dev.adclicks.model.AdEvent;
import dev.adclicks.model.PipelineJson;
import dev.adclicks.model.Topics;

/**
 * Compares SETS of clickIds, layer by layer, against what the producer acknowledged: each 202 is
 * one record in ad-clicks; each record in ad-clicks is one committed event in ad-events; each
 * distinct acknowledged clickId is exactly one row in MySQL, and the aggregates add up to the rows.
 */
public final class PipelineVerifier {

    private final PipelineInfrastructure infra;

    public PipelineVerifier(PipelineInfrastructure infra) {
        this.infra = infra;
    }

    /** Rows stored so far for ads of this prefix (to wait for the pipeline to drain). */
    public long rowsStored(String adPrefix) {
        return queryLong("SELECT COUNT(*) FROM click_event WHERE ad_id LIKE ?", adPrefix + "%");
    }

    public Report verify(String adPrefix, List<UUID> acknowledgedSends) {
        Map<UUID, Long> acknowledged = count(acknowledgedSends, id -> id);
        Map<UUID, Long> clicks = countRecords(Topics.AD_CLICKS, IsolationLevel.READ_UNCOMMITTED, adPrefix,
                value -> PipelineJson.read(value, AdClick.class).clickId());
        Map<UUID, Long> events = countRecords(Topics.AD_EVENTS, IsolationLevel.READ_COMMITTED, adPrefix,
                value -> PipelineJson.read(value, AdEvent.class).clickId());
        Map<UUID, Long> rows = new HashMap<>();
        long rowCost;
        long aggregateClicks;
        long aggregateSpend;
        try (Connection connection = connect()) {
            try (PreparedStatement statement = connection
                    .prepareStatement("SELECT click_id FROM click_event WHERE ad_id LIKE ?")) {
                statement.setString(1, adPrefix + "%");
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows.merge(UUID.fromString(result.getString(1)), 1L, Long::sum);
                    }
                }
            }
            rowCost = queryLong(connection, "SELECT COALESCE(SUM(cost_micros), 0) FROM click_event WHERE ad_id LIKE ?",
                    adPrefix + "%");
            aggregateClicks = queryLong(connection,
                    "SELECT COALESCE(SUM(clicks), 0) FROM ad_daily_stats WHERE ad_id LIKE ?", adPrefix + "%");
            aggregateSpend = queryLong(connection,
                    "SELECT COALESCE(SUM(spend_micros), 0) FROM ad_daily_stats WHERE ad_id LIKE ?", adPrefix + "%");
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot read MySQL", e);
        }
        Map<UUID, Long> onceEach = new HashMap<>();
        acknowledged.keySet().forEach(id -> onceEach.put(id, 1L));
        List<Layer> layers = List.of(
                Layer.of("HTTP 202 (producer)", acknowledged, acknowledged),
                Layer.of("ad-clicks", acknowledged, clicks),
                Layer.of("ad-events (read_committed)", clicks, events),
                Layer.of("MySQL click_event rows", onceEach, rows));
        long delivered = events.values().stream().mapToLong(Long::longValue).sum();
        long stored = rows.values().stream().mapToLong(Long::longValue).sum();
        return new Report(layers, delivered - stored, stored, rowCost, aggregateClicks, aggregateSpend);
    }

    private Map<UUID, Long> countRecords(String topic, IsolationLevel isolation, String adPrefix,
            Function<byte[], UUID> clickId) {
        List<UUID> ids = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(infra.kafkaBootstrapServers(), topic, isolation)) {
            if (record.key() != null && record.key().startsWith(adPrefix)) {
                ids.add(clickId.apply(record.value()));
            }
        }
        return count(ids, id -> id);
    }

    private static <T> Map<UUID, Long> count(List<T> items, Function<T, UUID> id) {
        Map<UUID, Long> counts = new HashMap<>();
        items.forEach(item -> counts.merge(id.apply(item), 1L, Long::sum));
        return counts;
    }

    private long queryLong(String sql, String parameter) {
        try (Connection connection = connect()) {
            return queryLong(connection, sql, parameter);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot read MySQL", e);
        }
    }

    private static long queryLong(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(infra.jdbcUrl(), infra.jdbcUsername(), infra.jdbcPassword());
    }

    /**
     * One layer of the pipeline compared with what it should hold.
     *
     * @param lost expected occurrences missing from this layer
     * @param duplicated occurrences beyond the expected ones (of expected clickIds, or of unknown ones)
     */
    public record Layer(String name, long records, long distinct, long lost, long duplicated) {

        static Layer of(String name, Map<UUID, Long> expected, Map<UUID, Long> actual) {
            long lost = 0;
            long duplicated = 0;
            for (Map.Entry<UUID, Long> entry : expected.entrySet()) {
                long have = actual.getOrDefault(entry.getKey(), 0L);
                lost += Math.max(0, entry.getValue() - have);
                duplicated += Math.max(0, have - entry.getValue());
            }
            for (Map.Entry<UUID, Long> entry : actual.entrySet()) {
                if (!expected.containsKey(entry.getKey())) {
                    duplicated += entry.getValue();
                }
            }
            return new Layer(name, actual.values().stream().mapToLong(Long::longValue).sum(), actual.size(), lost,
                    duplicated);
        }
    }

    /**
     * @param absorbedBySink committed events that did not become a row: redeliveries and re-sent
     *        clicks that UNIQUE(click_id) turned away
     */
    public record Report(List<Layer> layers, long absorbedBySink, long rows, long rowCostMicros,
            long aggregateClicks, long aggregateSpendMicros) {

        public boolean exactlyOnce() {
            return layers.stream().allMatch(layer -> layer.lost() == 0 && layer.duplicated() == 0)
                    && aggregateClicks == rows && aggregateSpendMicros == rowCostMicros;
        }

        public String table() {
            StringBuilder out = new StringBuilder(String.format("%-30s %9s %9s %7s %11s%n", "stage", "records",
                    "clickIds", "lost", "duplicated"));
            for (Layer layer : layers) {
                out.append(String.format("%-30s %9d %9d %7d %11d%n", layer.name(), layer.records(), layer.distinct(),
                        layer.lost(), layer.duplicated()));
            }
            out.append(String.format("re-sent clicks absorbed by the sink's UNIQUE(click_id): %d%n", absorbedBySink));
            out.append(String.format("aggregates: clicks %d vs rows %d, spend %d vs row cost %d micros%n",
                    aggregateClicks, rows, aggregateSpendMicros, rowCostMicros));
            return out.toString();
        }
    }
}
