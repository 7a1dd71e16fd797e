package dev.adclicks.sink.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.adclicks.model.AdEvent;

class DailyStatsAggregationTest {

    @Test
    void sumsClicksAndSpendPerAdAndDay() {
        var totals = DailyStatsAggregation.byAdAndUtcDay(List.of(
                event("ad-1", "2026-11-04T10:00:00Z", 100),
                event("ad-1", "2026-11-04T11:00:00Z", 250),
                event("ad-2", "2026-11-04T10:00:00Z", 7)));

        assertThat(totals).containsExactly(
                entry(new AdDay("ad-1", LocalDate.parse("2026-11-04")), new DailyTotals(2, 350)),
                entry(new AdDay("ad-2", LocalDate.parse("2026-11-04")), new DailyTotals(1, 7)));
    }

    @Test
    void splitsAtMidnightUtcNotAtMidnightOfTheJvmZone() {
        // The build runs tests with -Duser.timezone=Asia/Kolkata (UTC+05:30): grouping by the JVM's
        // zone would put both events on 2026-11-05.
        var totals = DailyStatsAggregation.byAdAndUtcDay(List.of(
                event("ad-1", "2026-11-04T23:59:59.999999Z", 1),
                event("ad-1", "2026-11-05T00:00:00Z", 2)));

        assertThat(totals).containsExactly(
                entry(new AdDay("ad-1", LocalDate.parse("2026-11-04")), new DailyTotals(1, 1)),
                entry(new AdDay("ad-1", LocalDate.parse("2026-11-05")), new DailyTotals(1, 2)));
    }

    @Test
    void adIdsAreCaseSensitiveLikeTheBinaryCollationOfTheTable() {
        var totals = DailyStatsAggregation.byAdAndUtcDay(List.of(
                event("ad-x", "2026-11-04T10:00:00Z", 1),
                event("AD-X", "2026-11-04T10:00:00Z", 1)));

        assertThat(totals).hasSize(2);
    }

    @Test
    void keysAreInAFixedOrderSoConcurrentBatchesLockRowsInTheSameOrder() {
        var totals = DailyStatsAggregation.byAdAndUtcDay(List.of(
                event("ad-b", "2026-11-05T10:00:00Z", 1),
                event("ad-a", "2026-11-05T10:00:00Z", 1),
                event("ad-b", "2026-11-04T10:00:00Z", 1)));

        assertThat(totals.keySet()).containsExactly(
                new AdDay("ad-a", LocalDate.parse("2026-11-05")),
                new AdDay("ad-b", LocalDate.parse("2026-11-04")),
                new AdDay("ad-b", LocalDate.parse("2026-11-05")));
    }

    @Test
    void nothingToAggregateGivesNoRows() {
        assertThat(DailyStatsAggregation.byAdAndUtcDay(List.of())).isEmpty();
    }

    private static AdEvent event(String adId, String occurredAt, long costMicros) {
        Instant at = Instant.parse(occurredAt);
        return new AdEvent(UUID.randomUUID(), adId, "campaign-1", "user-1", at, costMicros, at.plusSeconds(1));
    }
}
