package dev.adclicks.model;

/** Why the relay refused a well-formed click; written with it to {@link Topics#AD_CLICKS_REJECTED}. */
public enum RejectionReason {
    MISSING_FIELD,
    FIELD_TOO_LONG,
    UNKNOWN_CAMPAIGN,
    OCCURRED_IN_FUTURE
}
