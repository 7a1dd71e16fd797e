package dev.adclicks.sink.ingest;

/** A record of {@code ad-events} that is not an event this sink can store: it goes to the DLT. */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String message) {
        super(message);
    }

    public UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
