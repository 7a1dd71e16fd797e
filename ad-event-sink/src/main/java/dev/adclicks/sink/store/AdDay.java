package dev.adclicks.sink.store;

import java.time.LocalDate;
import java.util.Comparator;

import jakarta.persistence.Embeddable;

/**
 * One ad on one UTC day: the key of {@code ad_daily_stats} and of the in-memory aggregation.
 *
 * <p>Ordered, so a batch upserts its aggregate rows in a fixed order: two transactions touching
 * the same rows then lock them in the same order instead of deadlocking over opposite orders. (A
 * deadlock that happens anyway fails the batch, and the batch is retried.)
 */
@Embeddable
public record AdDay(String adId, LocalDate day) implements Comparable<AdDay> {

    private static final Comparator<AdDay> ORDER =
            Comparator.comparing(AdDay::adId).thenComparing(AdDay::day);

    @Override
    public int compareTo(AdDay other) {
        return ORDER.compare(this, other);
    }
}
