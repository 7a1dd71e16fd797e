package dev.adclicks.sink.stats;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.adclicks.sink.SinkMetrics;
import dev.adclicks.sink.store.AdDailyStats;
import dev.adclicks.sink.store.AdDailyStatsRepository;
import dev.adclicks.sink.store.ClickEventRepository;
import dev.adclicks.sink.store.DailyTotals;

@RestController
@RequestMapping("/api/stats")
class StatsController {

    private final ClickEventRepository events;
    private final AdDailyStatsRepository dailyStats;
    private final SinkMetrics metrics;

    StatsController(ClickEventRepository events, AdDailyStatsRepository dailyStats, SinkMetrics metrics) {
        this.events = events;
        this.dailyStats = dailyStats;
        this.metrics = metrics;
    }

    @GetMapping
    SinkStats stats() {
        DailyTotals totals = dailyStats.totals();
        return new SinkStats(events.count(), metrics.duplicatesCount(), metrics.deadLetteredCount(),
                totals.clicks(), totals.spendMicros());
    }

    /** The daily aggregates of one ad, oldest day first. */
    @GetMapping("/ads/{adId}")
    List<AdDailyStatsView> adStats(@PathVariable String adId) {
        return dailyStats.findByIdAdIdOrderByIdDay(adId).stream().map(AdDailyStatsView::of).toList();
    }

    record AdDailyStatsView(String adId, String day, long clicks, long spendMicros) {

        static AdDailyStatsView of(AdDailyStats stats) {
            return new AdDailyStatsView(stats.getId().adId(), stats.getId().day().toString(), stats.getClicks(),
                    stats.getSpendMicros());
        }
    }
}
