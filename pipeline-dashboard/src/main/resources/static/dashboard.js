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

    const unreachable = document.getElementById('unreachable');
    unreachable.hidden = status.unreachable.length === 0;
    unreachable.textContent = 'Not answering: ' + status.unreachable.join(', ');
    document.getElementById('updated').textContent = 'updated ' + new Date(status.at).toLocaleTimeString();
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
