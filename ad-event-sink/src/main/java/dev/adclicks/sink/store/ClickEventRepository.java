package dev.adclicks.sink.store;

import org.springframework.data.repository.Repository;

/** Reads stored events. Read-only on purpose: see {@link InsertIfAbsentEventWriter}. */
public interface ClickEventRepository extends Repository<ClickEvent, Long> {

    long count();
}
