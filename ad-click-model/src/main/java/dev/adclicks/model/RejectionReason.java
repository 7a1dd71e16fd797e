package dev.adclicks.model;

/**
 * Why the relay refused a well-formed click; written with it to {@link Topics#AD_CLICKS_REJECTED}.
 * The field bounds behind most of them are {@link ClickBounds}.
 */
public enum RejectionReason {
    MISSING_FIELD,
    FIELD_TOO_LONG,
    INVALID_CHARACTER,
    OCCURRED_IN_FUTURE,
    OCCURRED_TOO_LONG_AGO,
    UNKNOWN_CAMPAIGN
}
