package dev.adclicks.relay.comparison;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.adclicks.relay.transaction.TransactionFaultHook;

/** Fails ONE batch, the next one after {@link #arm()}, at the relay's fault point; then lets everything pass. */
final class FailNextBatchFault implements TransactionFaultHook {

    private final AtomicBoolean armed = new AtomicBoolean();
    final AtomicInteger fired = new AtomicInteger();
    volatile int recordsSentWhenFired;

    void arm() {
        armed.set(true);
    }

    @Override
    public void afterSendsBeforeCommit(int recordsSent) {
        if (armed.compareAndSet(true, false)) {
            recordsSentWhenFired = recordsSent;
            fired.incrementAndGet();
            throw new IllegalStateException("injected fault after " + recordsSent + " sends");
        }
    }
}
