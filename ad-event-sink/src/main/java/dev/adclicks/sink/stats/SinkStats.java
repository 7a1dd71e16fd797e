package dev.adclicks.sink.stats;

/**
 * What the sink holds and has absorbed.
 *
 * @param eventsStored       rows in click_event
 * @param duplicatesAbsorbed events whose clickId was already stored (a redelivery, a client's resend),
 *                           not stored again, since this process started
 * @param deadLettered       unreadable records sent to ad-events.DLT since this process started
 * @param totalClicks        sum of clicks over all per-ad daily aggregates (equals eventsStored when
 *                           every event was counted exactly once)
 * @param totalSpendMicros   sum of spend over all per-ad daily aggregates
 */
public record SinkStats(long eventsStored, long duplicatesAbsorbed, long deadLettered, long totalClicks,
        long totalSpendMicros) {
}
