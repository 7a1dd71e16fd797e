package dev.adclicks.sink.ingest;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * A sink warm-up that runs once, when the application context starts, and finishes before the
 * listener containers start: a {@link SmartLifecycle} of an earlier phase than theirs, so the
 * first real events find its code already run, and partly compiled. {@link ReaderWarmUp} and
 * {@link WriterWarmUp} are two; Spring starts the two in either order.
 */
abstract class BeforeListenersWarmUp implements SmartLifecycle {

    private volatile boolean running;

    /** Runs the warm-up; returns how many made-up events it went through. */
    public abstract int run();

    @Override
    public void start() {
        run();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
    }
}
