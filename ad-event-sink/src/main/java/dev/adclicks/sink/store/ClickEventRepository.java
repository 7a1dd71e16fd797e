package dev.adclicks.sink.store;

import org.springframework.data.repository.Repository;

/** Counts stored events. Read-only on purpose: rows are written only with SQL (see {@link ClickEvent}). */
public interface ClickEventRepository extends Repository<ClickEvent, Long> {

    long count();
}
