package dev.adclicks.sink.store;

import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/**
 * Clicks and spend of one ad on one UTC day, for reading. Rows are written only with SQL
 * ({@link SinkTables#addToDailyStats}, fed by {@link InsertIfAbsentEventWriter} from inserted rows
 * only), never through JPA, hence {@link Immutable}.
 */
@Entity
@Table(name = "ad_daily_stats")
@Immutable
public class AdDailyStats {

    @EmbeddedId
    private AdDay id;

    private long clicks;

    private long spendMicros;

    protected AdDailyStats() {
    }

    public AdDay getId() {
        return id;
    }

    public long getClicks() {
        return clicks;
    }

    public long getSpendMicros() {
        return spendMicros;
    }
}
