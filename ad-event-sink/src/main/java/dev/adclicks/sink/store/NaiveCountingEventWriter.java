package dev.adclicks.sink.store;

import java.util.List;

import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.adclicks.model.AdEvent;
import dev.adclicks.sink.SinkProperties;
import org.springframework.context.annotation.Profile;

/**
 * EXISTS ONLY FOR THE COMPARISON LAB: the sink's writer in {@code pipeline.delivery=at-least-once}
 * (the Spring profile of the same name), never in the default mode, where it does not exist. It
 * replaces {@link InsertIfAbsentEventWriter} there ({@link Primary}). Copy that one, not this.
 *
 * <p>The seeds' naive sink. The row still lands behind UNIQUE(click_id) ({@code INSERT IGNORE}),
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

    /** One row, duplicates ignored (update count 0). */
    static final String INSERT_IF_ABSENT = """
            INSERT IGNORE INTO click_event
                (click_id, ad_id, campaign_id, user_id, occurred_at, cost_micros, relayed_at, stored_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))
            """;

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
        int[] counts = jdbc.batchUpdate(INSERT_IF_ABSENT, events, events.size(),
                InsertIfAbsentEventWriter::bindEvent)[0];
        int inserted = 0;
        for (int count : counts) {
            inserted += count == 1 ? 1 : 0;
        }
        // The naive step: fed by every delivered event, not only by the rows just inserted.
        InsertIfAbsentEventWriter.addToDailyStats(jdbc, DailyStatsAggregation.byAdAndUtcDay(events), rowsPerStatement);
        return new WriteResult(inserted, events.size() - inserted);
    }
}
