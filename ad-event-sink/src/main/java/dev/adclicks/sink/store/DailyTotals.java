package dev.adclicks.sink.store;

import dev.adclicks.model.AdEvent;

/**
 * Clicks and spend: what to add to one {@code ad_daily_stats} row, or the sum over all rows
 * ({@link AdDailyStatsRepository#totals()}).
 */
public record DailyTotals(long clicks, long spendMicros) {

    static DailyTotals of(AdEvent event) {
        return new DailyTotals(1, event.costMicros());
    }

    DailyTotals plus(DailyTotals other) {
        return new DailyTotals(clicks + other.clicks, Math.addExact(spendMicros, other.spendMicros));
    }
}
