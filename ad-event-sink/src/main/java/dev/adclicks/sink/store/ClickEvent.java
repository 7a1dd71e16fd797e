package dev.adclicks.sink.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A stored event, for reading. Rows are written only with SQL ({@link SinkTables}), never through
 * JPA, hence {@link Immutable}: {@link InsertIfAbsentEventWriter} finds the clickIds already stored
 * with a {@code SELECT ... IN} and inserts the rest with multi-row {@code INSERT}s, which Hibernate
 * does not issue.
 */
@Entity
@Table(name = "click_event")
@Immutable
public class ClickEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** The pipeline-wide identity of the click; UNIQUE in the table. Stored as its 36-char text. */
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(length = 36, nullable = false, unique = true)
    private UUID clickId;

    private String adId;

    private String campaignId;

    private String userId;

    private Instant occurredAt;

    private long costMicros;

    private Instant relayedAt;

    private Instant storedAt;

    protected ClickEvent() {
    }

    public Long getId() {
        return id;
    }

    public UUID getClickId() {
        return clickId;
    }

    public String getAdId() {
        return adId;
    }

    public String getCampaignId() {
        return campaignId;
    }

    public String getUserId() {
        return userId;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public long getCostMicros() {
        return costMicros;
    }

    public Instant getRelayedAt() {
        return relayedAt;
    }

    public Instant getStoredAt() {
        return storedAt;
    }
}
