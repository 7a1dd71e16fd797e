package dev.adclicks.relay.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/** Which errors stop the relay for good ({@link TransactionalRelay#FATAL}) and which only abort the batch. */
class TransactionalRelayFatalErrorsTest {

    @Test
    void aFencedProducerStopsTheRelayForGood() {
        assertThat(TransactionalRelay.isFatal(new ProducerFencedException("a newer producer has our transactional.id")))
                .isTrue();
        // a subclass of a listed error counts too
        assertThat(TransactionalRelay.isFatal(new TransactionalIdAuthorizationException("not allowed"))).isTrue();
    }

    @Test
    void aGroupThatMovedOnOrATimeoutOnlyAbortsTheTransaction() {
        assertThat(TransactionalRelay.isFatal(new CommitFailedException())).isFalse();
        assertThat(TransactionalRelay.isFatal(new InvalidProducerEpochException("a produce request with an old epoch")))
                .isFalse();
        assertThat(TransactionalRelay.isFatal(new TimeoutException("broker slow"))).isFalse();
        assertThat(TransactionalRelay.isFatal(new IllegalStateException("error while processing"))).isFalse();
        assertThat(TransactionalRelay.isFatal(new WakeupException())).isFalse();
    }
}
