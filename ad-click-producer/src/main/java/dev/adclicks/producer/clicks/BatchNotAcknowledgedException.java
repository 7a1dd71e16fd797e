package dev.adclicks.producer.clicks;

/** Some clicks of a batch were not acknowledged; answered with 503 listing accepted and failed clicks. */
class BatchNotAcknowledgedException extends RuntimeException {

    private final BatchOutcome outcome;

    BatchNotAcknowledgedException(BatchOutcome outcome) {
        super(outcome.failedClickIds().size() + " of "
                + (outcome.accepted().size() + outcome.failedClickIds().size())
                + " clicks were not acknowledged by Kafka " + outcome.failuresByReason());
        this.outcome = outcome;
    }

    BatchOutcome outcome() {
        return outcome;
    }
}
