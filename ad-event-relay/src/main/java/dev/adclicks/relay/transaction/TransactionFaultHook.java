package dev.adclicks.relay.transaction;

/**
 * A test aid: the point inside each batch where a crash or an error must lose nothing and duplicate
 * nothing. {@link TransactionalRelay} calls it after the batch's outputs were sent, its offsets
 * joined the transaction ({@code sendOffsetsToTransaction}) and the outputs were flushed (they are
 * in the log, uncommitted), and before {@code commitTransaction}: even with the offsets in the
 * transaction, nothing is visible or committed until the commit.
 *
 * <p>Without an implementation bean the relays use {@link #NONE}. The main code has two, each a bean
 * only when its property is set: {@link HaltInTransactionFault}
 * ({@code relay.fault.halt-in-transaction-after-sends} or {@code -trigger-file}, set by the fault lab) and
 * {@link StallInTransactionFault} ({@code relay.fault.stall-in-transaction}, set by
 * {@code RelayFailoverIT}); tests register their own as a bean to fail exactly here.
 *
 * <p>The comparison lab's {@code dev.adclicks.relay.comparison.NonTransactionalRelay} calls it too:
 * at-least-once after the sends were flushed and acknowledged and before {@code commitSync} (the same
 * window); at-most-once after {@code commitSync} and the sends, which may still be unflushed (its
 * window).
 */
@FunctionalInterface
public interface TransactionFaultHook {

    TransactionFaultHook NONE = recordsSent -> {
    };

    void afterSendsBeforeCommit(int recordsSent);
}
