import type { DoctorReport } from '@teams-oauth/core'
import type { TargetsUsed } from './targets-used'

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

const words = { pass: 'Pass', warn: 'Warning', fail: 'Fail' } as const
const symbols = { pass: '✓', warn: '!', fail: '✗' } as const

/** A self-contained HTML page (no script, no network asset): one row per check, status in colour and words. */
export function renderHtmlReport(report: DoctorReport, used: TargetsUsed): string {
  const rows = report.checks
    .map(
      (check) => `      <tr class="${check.status}" data-check="${escapeHtml(check.id)}">
        <td class="status"><span class="badge">${symbols[check.status]} ${words[check.status]}</span></td>
        <td><strong>${escapeHtml(check.title)}</strong>${check.explanation ? `<p class="why">${escapeHtml(check.explanation)}</p>` : ''}</td>
        <td><ul>${check.evidence.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></td>
        <td>${check.fix ? `<code>${escapeHtml(check.fix)}</code>` : '<span class="none">nothing to do</span>'}</td>
      </tr>`,
    )
    .join('\n')
  const verdict = report.ok
    ? 'Every check passes.'
    : `${report.counts.fail} failing, ${report.counts.warn} warning, ${report.counts.pass} passing.`
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>teams-oauth doctor: ${escapeHtml(report.organisation)}</title>
  <style>
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1b1b1b; }
    h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
    .meta { color: #555; margin: 0 0 1rem; }
    .verdict { font-weight: 600; margin: 0 0 1rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; padding: .5rem .6rem; border-bottom: 1px solid #ddd; }
    th { background: #f3f3f3; }
    ul { margin: 0; padding-left: 1.1rem; }
    code { font: 12px/1.4 ui-monospace, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
    .badge { display: inline-block; min-width: 5.5rem; padding: .15rem .45rem; border-radius: .3rem; font-weight: 700; color: #fff; }
    tr.pass .badge { background: #1a7f37; }
    tr.warn .badge { background: #9a6700; }
    tr.fail .badge { background: #cf222e; }
    tr.fail td { background: #fff5f5; }
    tr.warn td { background: #fffbea; }
    .why { margin: .3rem 0 0; color: #444; }
    .none { color: #777; }
  </style>
</head>
<body>
  <h1>teams-oauth doctor: ${escapeHtml(report.organisation)}</h1>
  <p class="meta">Profile ${escapeHtml(report.profile)} · checked ${escapeHtml(report.checkedAt)}</p>
  <p class="meta targets">Exchange: ${escapeHtml(used.exchange.is)} · Entra: ${escapeHtml(used.entra.is)}</p>
  <p class="verdict">${escapeHtml(verdict)}</p>
  <table>
    <thead><tr><th>Status</th><th>Check</th><th>Evidence</th><th>Fix</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
</body>
</html>
`
}
