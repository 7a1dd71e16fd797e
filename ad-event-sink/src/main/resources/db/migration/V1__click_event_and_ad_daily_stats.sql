-- MySQL dialect; runs on MySQL 8.4 and MariaDB 11.4.
-- Instants are stored as DATETIME(6) holding UTC wall-clock time (the writers bind UTC values;
-- Hibernate reads them with hibernate.jdbc.time_zone=UTC). utf8mb4_bin: ids compare byte-exact,
-- exactly like the Java strings the aggregation groups by.

CREATE TABLE click_event (
    id          BIGINT      NOT NULL AUTO_INCREMENT,
    -- The pipeline-wide identity of a click. UNIQUE is guard 3's backstop: InsertIfAbsentEventWriter
    -- skips the clickIds a SELECT finds stored and inserts the rest; should another writer store one
    -- of them in between, the INSERT fails on this key and the batch rolls back, so no click is
    -- stored, or added to the aggregates, twice.
    click_id    CHAR(36)    NOT NULL,
    ad_id       VARCHAR(64) NOT NULL,
    campaign_id VARCHAR(64) NOT NULL,
    user_id     VARCHAR(64) NOT NULL,
    occurred_at DATETIME(6) NOT NULL,
    cost_micros BIGINT      NOT NULL,
    relayed_at  DATETIME(6) NOT NULL,
    stored_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_click_event_click_id (click_id),
    KEY ix_click_event_ad_id (ad_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Clicks and spend per ad and UTC day of occurred_at, maintained by InsertIfAbsentEventWriter in
-- the same transaction as the inserts into click_event, from inserted rows only.
CREATE TABLE ad_daily_stats (
    ad_id        VARCHAR(64) NOT NULL,
    day          DATE        NOT NULL,
    clicks       BIGINT      NOT NULL,
    spend_micros BIGINT      NOT NULL,
    PRIMARY KEY (ad_id, day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
