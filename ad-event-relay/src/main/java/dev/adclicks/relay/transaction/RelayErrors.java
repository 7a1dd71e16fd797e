package dev.adclicks.relay.transaction;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What the relay does about an error from its consumer or transactional producer, by the exception
 * categories of kafka-clients 4.x (KIP-1050), looked up along the cause chain (the producer reports
 * a failed send at {@code commitTransaction()} as a {@code KafkaException} caused by it):
 *
 * <table>
 * <tr><th>category</th><th>examples</th><th>reaction</th></tr>
 * <tr><td>abortable: {@link TransactionAbortableException}, {@link RetriableException} that
 * outlived the client's own retries (e.g. {@code TimeoutException}, {@code NotEnoughReplicasException}),
 * {@link CommitFailedException} / {@link RebalanceInProgressException} (the group moved on)</td>
 * <td>a leader or coordinator failing over for longer than the client's timeouts; too few
 * replicas in sync</td><td>{@link Reaction#ABORT}</td></tr>
 * <tr><td>application-recoverable: {@link ApplicationRecoverableException}, and
 * {@link InvalidTxnStateException}</td>
 * <td>{@code InvalidProducerEpochException} and {@code ProducerFencedException} (our producer epoch
 * was bumped: by the coordinator, which aborted our transaction after its timeout, or by another
 * producer that registered our {@code transactional.id}), {@code InvalidPidMappingException},
 * {@code UnknownMemberIdException}, {@code IllegalGenerationException}; {@code InvalidTxnStateException}
 * is what a commit gets under transaction version 2 when the coordinator has aborted the
 * transaction after its timeout (KAFKA-20785; brokers with that fix answer {@code PRODUCER_FENCED})</td>
 * <td>{@link Reaction#RECREATE}</td></tr>
 * <tr><td>fatal: everything else, and one application-recoverable error</td>
 * <td>{@link FencedInstanceIdException} (another live instance joined the group with our
 * {@code group.instance.id}); {@link AuthorizationException}, {@link UnsupportedVersionException},
 * {@code OutOfOrderSequenceException}, a bug</td><td>{@link Reaction#STOP}</td></tr>
 * </table>
 *
 * An outdated epoch looks the same whether the coordinator bumped it after a long pause (the next
 * session carries on) or a live twin with our {@code transactional.id} did (the two would fence each
 * other in turns for ever). {@link TransactionalRelay} tells them apart by how long the transaction
 * had been open and then by repetition ({@link #isEpochFencing}): met in a transaction open for the
 * transaction timeout or longer, it is the coordinator's abort and is not counted; otherwise,
 * recreated once, a relay fenced again within {@code relay.fenced-again-within} (5 minutes) stops
 * for good.
 *
 * <p>A {@code TimeoutException} from {@code commitTransaction()} is not aborted: the client documents
 * that the commit may already be completing and that the only safe calls are the commit again or
 * closing the producer ({@link TransactionalRelay} retries the commit once, then recreates).
 *
 * <p>Hand-written: kafka-clients gives the categories as exception classes but no method that maps
 * an arbitrary error (with its causes) to a reaction.
 */
public final class RelayErrors {

    private RelayErrors() {
    }

    /** The relay's reaction to an error of its clients. */
    public enum Reaction {
        /** Abort the transaction, rewind the consumer to the aborted batch's first offsets, back off, retry. */
        ABORT,
        /** Close the consumer and the producer and start a new session with new ones. */
        RECREATE,
        /** Stop for good: health DOWN until the process is restarted. */
        STOP,
        /**
         * Call {@code commitTransaction()} again: what a commit that timed out gets once (the
         * relay's own rule, never returned by {@link #reactionTo}; counted like the others).
         */
        COMMIT_AGAIN
    }

    /**
     * {@code commitTransaction()} timed out twice: whether the transaction committed is unknown.
     * Only a new producer's {@code initTransactions()} settles it (it completes a commit the
     * coordinator had begun, or aborts): {@link Reaction#RECREATE}.
     */
    public static final class CommitOutcomeUnknownException extends RuntimeException {

        CommitOutcomeUnknownException(Throwable cause) {
            super("commitTransaction() timed out twice; its outcome is settled by the next initTransactions()", cause);
        }
    }

    /** The reaction to {@code error}: the first category found along its cause chain, fatal ones first. */
    public static Reaction reactionTo(Throwable error) {
        if (error instanceof CommitOutcomeUnknownException) {
            return Reaction.RECREATE;
        }
        if (anyCause(error, FencedInstanceIdException.class, AuthorizationException.class,
                UnsupportedVersionException.class)) {
            return Reaction.STOP;
        }
        if (anyCause(error, ApplicationRecoverableException.class, InvalidTxnStateException.class)) {
            return Reaction.RECREATE;
        }
        if (anyCause(error, TransactionAbortableException.class, RetriableException.class, CommitFailedException.class,
                RebalanceInProgressException.class)) {
            return Reaction.ABORT;
        }
        return Reaction.STOP;
    }

    /**
     * Whether {@code error} says our producer epoch is outdated or our transaction was ended for us:
     * someone bumped the epoch (a twin, or the coordinator after our transaction timed out).
     */
    public static boolean isEpochFencing(Throwable error) {
        return anyCause(error, InvalidProducerEpochException.class, ProducerFencedException.class,
                InvalidTxnStateException.class);
    }

    @SafeVarargs
    private static boolean anyCause(Throwable error, Class<? extends Throwable>... types) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }
}
