package dev.adclicks.sink.comparison;

import java.util.List;

import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.adclicks.model.AdEvent;
import dev.adclicks.sink.SinkProperties;
import dev.adclicks.sink.store.DailyStatsAggregation;
import dev.adclicks.sink.store.EventWriter;
import dev.adclicks.sink.store.InsertIfAbsentEventWriter;
import dev.adclicks.sink.store.SinkTables;
import dev.adclicks.sink.store.WriteResult;

/**
 * EXISTS ONLY FOR THE COMPARISON LAB: the sink's writer under the Spring profile
 * {@code at-least-once}; without that profile it does not exist. It replaces
 * {@link InsertIfAbsentEventWriter} there ({@link Primary}). Copy that one, not this.
 *
 * <p>The naive idempotent sink. The row still lands behind UNIQUE(click_id) ({@code INSERT IGNORE}),
 * and the offsets are still committed after the DB transaction, so nothing is lost and no row is
 * doubled. But the per-ad aggregates get {@code clicks = clicks + 1} for EVERY delivered event,
 * whether its row was inserted or was already there. So every redelivery (the sink crashing between
 * its DB commit and its offset commit, a duplicate the relay or the producer wrote, a client's resend)
 * leaves one row and counts it twice: aggregate clicks and spend exceed what the rows add up to.
 */
@Component
@Primary
@Profile("at-least-once")
public class NaiveCountingEventWriter implements EventWriter {

    /**
     * One row, duplicates ignored: its update count says 1 (inserted) or 0 (already there), exact
     * only because {@code rewriteBatchedStatements} is off (application.yml).
     */
    private static final String INSERT_IGNORING_DUPLICATES =
            "INSERT IGNORE INTO " + SinkTables.CLICK_EVENT_COLUMNS + " VALUES " + SinkTables.CLICK_EVENT_ROW;

    private final JdbcTemplate jdbc;
    private final int rowsPerStatement;

    public NaiveCountingEventWriter(JdbcTemplate jdbc, SinkProperties properties) {
        this.jdbc = jdbc;
        this.rowsPerStatement = properties.rowsPerStatement();
    }

    /**
     * One transaction: the rows (duplicates ignored), then the aggregates of ALL {@code events}.
     * {@link WriteResult#duplicates()} here counts events that found their row already stored and
     * were counted in the aggregates anyway.
     */
    @Override
    @Transactional
    public WriteResult write(List<AdEvent> events) {
        if (events.isEmpty()) {
            return WriteResult.NOTHING;
        }
        int[] counts = jdbc.batchUpdate(INSERT_IGNORING_DUPLICATES, events, events.size(),
                (statement, event) -> SinkTables.bindEvent(statement, event, 0))[0];
        int inserted = 0;
        for (int count : counts) {
            inserted += count == 1 ? 1 : 0;
        }
        // The naive step: fed by every delivered event, not only by the rows just inserted.
        SinkTables.addToDailyStats(jdbc, DailyStatsAggregation.byAdAndUtcDay(events), rowsPerStatement);
        return new WriteResult(inserted, events.size() - inserted);
    }
}
