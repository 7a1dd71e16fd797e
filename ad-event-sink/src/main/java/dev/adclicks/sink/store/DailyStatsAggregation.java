package dev.adclicks.sink.store;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.adclicks.model.AdEvent;

/**
 * Sums events per ad and UTC day, in memory, so a batch adds one row per (ad, day) to
 * {@code ad_daily_stats} instead of one per event.
 *
 * <p>The day is the UTC calendar day of {@link AdEvent#occurredAt()}, never the JVM's or the
 * database session's zone: the same event must land on the same row wherever the sink runs.
 */
public final class DailyStatsAggregation {

    private DailyStatsAggregation() {
    }

    /** Totals of {@code events} by (adId, UTC day of occurredAt), in {@link AdDay} order. */
    public static SortedMap<AdDay, DailyTotals> byAdAndUtcDay(Collection<AdEvent> events) {
        SortedMap<AdDay, DailyTotals> totals = new TreeMap<>();
        for (AdEvent event : events) {
            LocalDate utcDay = LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC);
            totals.merge(new AdDay(event.adId(), utcDay), DailyTotals.of(event), DailyTotals::plus);
        }
        return totals;
    }
}
