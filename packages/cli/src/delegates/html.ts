import type { DelegateFinding, DelegateVerdict } from '@teams-oauth/core'

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

const words: Record<DelegateVerdict, string> = { ok: 'OK', warn: 'Warning', fail: 'Fail' }
const colours: Record<DelegateVerdict, string> = { ok: '#1a7f37', warn: '#9a6700', fail: '#cf222e' }

export interface HtmlSummary {
  organisation: string
  target: string
  scope: string
  checkedAt: string
  counts: Record<DelegateVerdict, number>
}

/** The head of the page; rows follow as the audit finds them, then the end with the chart and the script. */
export const htmlStart = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1f2328; display: flex; flex-direction: column; }
  header, #controls, #chart, main { padding: 0 24px; }
  header { order: 0; } #chart { order: 1; } #controls { order: 2; } main { order: 3; padding-bottom: 24px; }
  h1 { font-size: 20px; margin: 16px 0 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #d0d7de; padding: 6px 8px; }
  th { cursor: pointer; background: #f6f8fa; position: sticky; top: 0; user-select: none; }
  th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
  .badge { font-weight: 600; white-space: nowrap; }
  tr.ok .badge { color: ${colours.ok}; } tr.warn .badge { color: ${colours.warn}; } tr.fail .badge { color: ${colours.fail}; }
  code { font: 12px ui-monospace, monospace; white-space: pre-wrap; display: block; }
  .why { margin: 0; } .note { color: #59636e; font-size: 12px; }
  #controls { display: flex; gap: 16px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
  #shown { color: #59636e; }
</style>
</head>
<body>
<main>
<table id="findings">
<thead><tr><th data-key="verdict">Verdict</th><th data-key="delegator">Delegator</th><th data-key="delegate">Delegate</th><th data-key="calendar">Calendar</th><th data-key="rights">Rights</th><th data-key="sob">Send on behalf</th><th data-key="ews">EWS</th><th>Why</th><th>Fix</th></tr></thead>
<tbody>
`

const order: Record<DelegateVerdict, number> = { fail: 0, warn: 1, ok: 2 }

export function htmlRow(f: DelegateFinding): string {
  const cell = (key: string, value: string, text = value) =>
    `<td data-sort="${escapeHtml(value)}" data-col="${key}">${escapeHtml(text)}</td>`
  return `<tr class="${f.verdict}" data-verdict="${f.verdict}">\
<td data-sort="${order[f.verdict]}" data-col="verdict"><span class="badge">${words[f.verdict]}</span></td>\
${cell('delegator', f.delegator, `${f.delegatorName} (${f.delegator})`)}${cell('delegate', f.delegate)}${cell('calendar', f.calendar ?? '(none)')}\
${cell('rights', f.rights.join(', ') || 'none')}${cell('sob', f.sendOnBehalf ? 'yes' : 'no')}${cell('ews', f.ews.ewsEnabled === false ? 'disabled' : 'enabled')}\
<td>${f.reasons.map((r) => `<p class="why">${escapeHtml(r)}</p>`).join('')}</td>\
<td>${f.fix.length ? `<code>${escapeHtml(f.fix.join('\n'))}</code>` : ''}${f.note ? `<p class="note">${escapeHtml(f.note)}</p>` : ''}</td></tr>
`
}

function chart(counts: Record<DelegateVerdict, number>): string {
  const verdicts: DelegateVerdict[] = ['fail', 'warn', 'ok']
  const max = Math.max(1, ...verdicts.map((v) => counts[v]))
  const bars = verdicts
    .map((v, i) => {
      const width = Math.round((360 * counts[v]) / max)
      const y = 8 + i * 30
      return `<text x="0" y="${y + 15}">${words[v]}</text><rect class="bar-${v}" x="80" y="${y}" width="${width}" height="20" fill="${colours[v]}"></rect><text x="${86 + width}" y="${y + 15}">${counts[v]}</text>`
    })
    .join('')
  return `<svg id="verdict-chart" role="img" aria-label="Relationships by verdict: ${counts.fail} fail, ${counts.warn} warning, ${counts.ok} OK" width="520" height="100" font-size="13">${bars}</svg>`
}

export const htmlEnd = (s: HtmlSummary) => `</tbody>
</table>
</main>
<header>
<h1>Delegates of ${escapeHtml(s.organisation)}: ${s.counts.fail} failing, ${s.counts.warn} warning, ${s.counts.ok} OK</h1>
<p>Exchange: ${escapeHtml(s.target)}, scope ${escapeHtml(s.scope)}, ${escapeHtml(s.checkedAt)}</p>
</header>
<section id="chart">${chart(s.counts)}</section>
<section id="controls">
  <label><input type="checkbox" name="verdict" value="fail" checked> Fail</label>
  <label><input type="checkbox" name="verdict" value="warn" checked> Warning</label>
  <label><input type="checkbox" name="verdict" value="ok" checked> OK</label>
  <label>Search <input type="search" id="search" placeholder="delegator, delegate, calendar…"></label>
  <span id="shown"></span>
</section>
<script>
(() => {
  const body = document.querySelector('#findings tbody')
  const rows = Array.from(body.rows)
  const search = document.getElementById('search')
  const boxes = Array.from(document.querySelectorAll('input[name=verdict]'))
  const filter = () => {
    const wanted = new Set(boxes.filter((b) => b.checked).map((b) => b.value))
    const text = search.value.trim().toLowerCase()
    let shown = 0
    for (const row of rows) {
      const visible = wanted.has(row.dataset.verdict) && (!text || row.textContent.toLowerCase().includes(text))
      row.hidden = !visible
      if (visible) shown++
    }
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' shown'
  }
  for (const box of boxes) box.addEventListener('change', filter)
  search.addEventListener('input', filter)
  for (const th of document.querySelectorAll('th[data-key]')) {
    th.addEventListener('click', () => {
      const key = th.dataset.key
      const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending'
      for (const other of document.querySelectorAll('th')) other.removeAttribute('aria-sort')
      th.setAttribute('aria-sort', dir)
      const value = (row) => row.querySelector('td[data-col="' + key + '"]').dataset.sort
      rows.sort((a, b) => value(a).localeCompare(value(b), undefined, { numeric: true }) * (dir === 'ascending' ? 1 : -1))
      body.append(...rows)
    })
  }
  filter()
})()
</script>
</body>
</html>
`
