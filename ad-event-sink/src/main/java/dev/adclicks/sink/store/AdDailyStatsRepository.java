package dev.adclicks.sink.store;

import java.util.List;

import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/**
 * Reads the per-ad daily aggregates. Read-only on purpose: they are written only with SQL, by
 * {@link InsertIfAbsentEventWriter} from the rows it inserted (see {@link AdDailyStats}).
 */
public interface AdDailyStatsRepository extends Repository<AdDailyStats, AdDay> {

    List<AdDailyStats> findByIdAdIdOrderByIdDay(String adId);

    @Query("select new dev.adclicks.sink.store.DailyTotals(coalesce(sum(s.clicks), 0), coalesce(sum(s.spendMicros), 0))"
            + " from AdDailyStats s")
    DailyTotals totals();
}
