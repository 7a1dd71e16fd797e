package dev.adclicks.sink.store;

/**
 * What one committed batch did.
 *
 * @param inserted   events stored for the first time (the only ones the exactly-once writer counts in
 *                   the aggregates)
 * @param duplicates events whose clickId was already stored (earlier batch or earlier in this one)
 */
public record WriteResult(int inserted, int duplicates) {

    public static final WriteResult NOTHING = new WriteResult(0, 0);
}
