// The dashboard: polls /api/pipeline every second and fills every element with a data-field
// ("relay.transactionsCommitted" is status.relay.transactionsCommitted); the form posts to
// /api/demo/clicks, which sends the clicks through the producer's HTTP API. No framework, nothing to build.
'use strict';

const format = value => (value === null || value === undefined) ? '?' : Number(value).toLocaleString('en-US');

function field(status, path) {
    return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), status);
}

function render(status) {
    document.querySelectorAll('[data-field]').forEach(element => {
        element.textContent = format(field(status, element.dataset.field));
    });

    const rows = status.durable.rowsInMysql;
    const counted = status.durable.clicksInAggregates;
    const verdict = document.getElementById('verdict');
    if (rows == null || counted == null) {
        verdict.textContent = 'sink not reachable';
        verdict.className = 'warning';
    } else if (rows === counted) {
        verdict.textContent = 'every stored click counted exactly once';
        verdict.className = 'ok';
    } else {
        verdict.textContent = `aggregates differ from rows by ${format(counted - rows)}`;
        verdict.className = 'bad';
    }

    const body = document.querySelector('#guards tbody');
    body.replaceChildren(...status.guards.map(guard => {
        const row = document.createElement('tr');
        for (const [text, css] of [[guard.name], [guard.where], [format(guard.blocked), 'number'], [guard.meaning]]) {
            const cell = document.createElement('td');
            cell.textContent = text;
            if (css) cell.className = css;
            row.appendChild(cell);
        }
        return row;
    }));

    renderCluster(status.cluster);

    const unreachable = document.getElementById('unreachable');
    unreachable.hidden = status.unreachable.length === 0;
    unreachable.textContent = 'Not answering: ' + status.unreachable.join(', ');
    document.getElementById('updated').textContent = 'updated ' + new Date(status.at).toLocaleTimeString();
}

function cell(text, css) {
    const element = document.createElement('td');
    element.textContent = text;
    if (css) element.className = css;
    return element;
}

// The brokers (up or down, how many partitions each leads) and every partition of the pipeline's
// topics: leader, replicas, ISR. Rows in trouble are marked: under-replicated, or writes refused.
function renderCluster(cluster) {
    const summary = document.getElementById('cluster-summary');
    const brokers = document.getElementById('cluster-brokers');
    const body = document.querySelector('#cluster-partitions tbody');
    if (cluster == null) {
        summary.textContent = 'not answering: brokers and partitions unknown';
        summary.className = 'warning';
        brokers.replaceChildren();
        body.replaceChildren();
        return;
    }
    const up = cluster.brokers.filter(broker => broker.up).length;
    const problems = [];
    if (cluster.withoutLeader > 0) problems.push(`${cluster.withoutLeader} without leader`);
    if (cluster.belowMinIsr > 0) problems.push(`${cluster.belowMinIsr} refusing writes`);
    if (cluster.underReplicated > 0) problems.push(`${cluster.underReplicated} under-replicated`);
    if (cluster.topicsNotCreated.length > 0) problems.push('not created: ' + cluster.topicsNotCreated.join(', '));
    summary.textContent = `${up} of ${cluster.brokers.length} brokers up · `
        + (problems.length === 0 ? 'every partition fully replicated' : problems.join(' · '));
    summary.className = cluster.withoutLeader + cluster.belowMinIsr > 0 ? 'bad'
        : (problems.length > 0 || up < cluster.brokers.length ? 'warning' : 'ok');

    brokers.replaceChildren(...cluster.brokers.map(broker => {
        const item = document.createElement('li');
        item.className = broker.up ? 'ok' : 'bad';
        item.dataset.broker = broker.id;
        const address = broker.host == null ? 'not registered' : `${broker.host}:${broker.port}`;
        item.textContent = `broker ${broker.id} · ${address} · ${broker.up ? 'up' : 'DOWN'} · leads ${broker.leaderOf}`;
        return item;
    }));

    body.replaceChildren(...cluster.partitions.map(partition => {
        const row = document.createElement('tr');
        const refused = partition.leader == null || partition.belowMinIsr;
        if (refused) row.className = 'refused';
        else if (partition.underReplicated) row.className = 'under-replicated';
        row.append(
            cell(partition.topic),
            cell(String(partition.partition), 'number'),
            cell(partition.leader == null ? 'none' : String(partition.leader), partition.leader == null ? 'bad' : ''),
            cell(partition.replicas.join(', ')),
            cell(`${partition.isr.join(', ')} (${partition.isr.length} of ${partition.replicas.length})`),
            cell(partition.minIsr == null ? '?' : String(partition.minIsr), 'number'));
        return row;
    }));
}

async function refresh() {
    try {
        const response = await fetch('/api/pipeline', { headers: { Accept: 'application/json' } });
        if (response.ok) {
            render(await response.json());
        }
    } catch (error) {
        document.getElementById('updated').textContent = 'dashboard not reachable';
    } finally {
        setTimeout(refresh, 1000);
    }
}

document.getElementById('send-form').addEventListener('submit', async event => {
    event.preventDefault();
    const result = document.getElementById('send-result');
    const button = document.getElementById('send-clicks');
    const request = {
        count: Number(document.getElementById('click-count').value),
        resendPercent: Number(document.getElementById('resend-percent').value),
    };
    button.disabled = true;
    result.textContent = `sending ${format(request.count)} clicks…`;
    try {
        const response = await fetch('/api/demo/clicks', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(request),
        });
        const body = await response.json();
        result.textContent = response.status === 400
            ? body.detail
            : `accepted ${format(body.accepted)}, re-sent ${format(body.resent)}, not acknowledged ${format(body.failed)}`;
    } catch (error) {
        result.textContent = 'failed: ' + error;
    } finally {
        button.disabled = false;
    }
});

refresh();
