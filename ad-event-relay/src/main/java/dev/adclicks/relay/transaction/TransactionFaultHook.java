package dev.adclicks.relay.transaction;

/**
 * A test aid: called inside each transaction after all its records were sent and flushed (they are
 * in the log, uncommitted) and before the
 * offsets are added and the transaction commits — the window where a crash or an error must
 * lose nothing and duplicate nothing. Production code has no implementation; tests provide one
 * as a bean to fail or halt exactly there.
 *
 * <p>The comparison lab's {@link NonTransactionalRelay} calls it too: at-least-once after the
 * sends were flushed and acknowledged and before {@code commitSync} (the same window);
 * at-most-once after {@code commitSync} and the sends, which may still be unflushed (its window).
 */
@FunctionalInterface
public interface TransactionFaultHook {

    TransactionFaultHook NONE = recordsSent -> {
    };

    void afterSendsBeforeCommit(int recordsSent);
}
