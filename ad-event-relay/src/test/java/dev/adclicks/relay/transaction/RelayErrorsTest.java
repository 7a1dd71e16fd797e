package dev.adclicks.relay.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.Test;

import dev.adclicks.relay.transaction.RelayErrors.Reaction;

/** The relay's reaction to each category of kafka-clients errors (KIP-1050), found along the cause chain. */
class RelayErrorsTest {

    @Test
    void abortableErrorsAbortAndRetry() {
        assertThat(RelayErrors.reactionTo(new TransactionAbortableException("abortable", null))).isEqualTo(Reaction.ABORT);
        assertThat(RelayErrors.reactionTo(new TimeoutException("a leader failing over"))).isEqualTo(Reaction.ABORT);
        assertThat(RelayErrors.reactionTo(new NotEnoughReplicasException("ISR 1 < 2"))).isEqualTo(Reaction.ABORT);
        assertThat(RelayErrors.reactionTo(new CommitFailedException())).isEqualTo(Reaction.ABORT);
        // commitTransaction() reports a failed send as a KafkaException caused by it
        assertThat(RelayErrors.reactionTo(new KafkaException("Cannot execute transactional method because we are in an "
                + "error state", new TimeoutException("expired")))).isEqualTo(Reaction.ABORT);
    }

    @Test
    void applicationRecoverableErrorsRecreateTheClients() {
        assertThat(RelayErrors.reactionTo(new InvalidProducerEpochException("epoch bumped after our timeout")))
                .isEqualTo(Reaction.RECREATE);
        assertThat(RelayErrors.reactionTo(new InvalidPidMappingException("producer id expired"))).isEqualTo(Reaction.RECREATE);
        assertThat(RelayErrors.reactionTo(new UnknownMemberIdException("session expired"))).isEqualTo(Reaction.RECREATE);
        assertThat(RelayErrors.reactionTo(new KafkaException("wrapped", new InvalidProducerEpochException("old epoch"))))
                .isEqualTo(Reaction.RECREATE);
        assertThat(RelayErrors.reactionTo(new RelayErrors.CommitOutcomeUnknownException(new TimeoutException("twice"))))
                .as("a commit that timed out twice").isEqualTo(Reaction.RECREATE);
        assertThat(RelayErrors.reactionTo(new ProducerFencedException("a newer epoch has our transactional.id")))
                .as("the coordinator's timeout abort, or a twin: a new session (stopsOn decides whether to stop)")
                .isEqualTo(Reaction.RECREATE);
        assertThat(RelayErrors.reactionTo(new InvalidTxnStateException("commit after the coordinator's timeout abort")))
                .as("KAFKA-20785, transaction version 2").isEqualTo(Reaction.RECREATE);
    }

    @Test
    void anOutdatedEpochOrATransactionEndedForUsIsEpochFencing() {
        assertThat(RelayErrors.isEpochFencing(new KafkaException("wrapped", new InvalidProducerEpochException("old")))).isTrue();
        assertThat(RelayErrors.isEpochFencing(new ProducerFencedException("fenced"))).isTrue();
        assertThat(RelayErrors.isEpochFencing(new InvalidTxnStateException("aborted for us"))).isTrue();
        assertThat(RelayErrors.isEpochFencing(new UnknownMemberIdException("session expired"))).isFalse();
        assertThat(RelayErrors.isEpochFencing(new TimeoutException("slow"))).isFalse();
    }

    @Test
    void aTwinInTheGroupOrNotAuthorizedOrUncategorisedStopsForGood() {
        assertThat(RelayErrors.reactionTo(new FencedInstanceIdException("our group.instance.id joined again")))
                .as("application-recoverable by category, but recreating would fence the other instance back")
                .isEqualTo(Reaction.STOP);
        assertThat(RelayErrors.reactionTo(new KafkaException("wrapped", new FencedInstanceIdException("fenced"))))
                .isEqualTo(Reaction.STOP);
        assertThat(RelayErrors.reactionTo(new TransactionalIdAuthorizationException("not allowed"))).isEqualTo(Reaction.STOP);
        assertThat(RelayErrors.reactionTo(new OutOfOrderSequenceException("a gap in our sequence"))).isEqualTo(Reaction.STOP);
        assertThat(RelayErrors.reactionTo(new IllegalStateException("a bug while processing"))).isEqualTo(Reaction.STOP);
    }
}
