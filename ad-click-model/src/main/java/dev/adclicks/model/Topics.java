package dev.adclicks.model;

/** The pipeline's topics. Every record on {@link #AD_CLICKS} and {@link #AD_EVENTS} is keyed by adId. */
public final class Topics {

    /** Clicks as accepted over HTTP; written by the idempotent producer. */
    public static final String AD_CLICKS = "ad-clicks";

    /** Priced events; written by the relay inside transactions, read {@code read_committed}. */
    public static final String AD_EVENTS = "ad-events";

    /** Well-formed clicks the relay refused, with the reason. Same transaction as the events. */
    public static final String AD_CLICKS_REJECTED = "ad-clicks-rejected";

    /** Records of {@link #AD_CLICKS} that could not be read at all, with the error in headers. */
    public static final String AD_CLICKS_DLT = "ad-clicks.DLT";

    /** Records of {@link #AD_EVENTS} the sink could not read, with the error in headers. */
    public static final String AD_EVENTS_DLT = "ad-events.DLT";

    private Topics() {
    }
}
