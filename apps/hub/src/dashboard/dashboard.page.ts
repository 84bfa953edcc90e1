// The dashboard: one self-contained page (no build step, no external assets) that
// polls the hub's HTTP API and draws the grid x NodeUnit matrix, cluster health,
// queue state, the NodeUnits with their nodes across members and the NodeGroups with the
// readiness of the grids that follow them. Kept as a module so the compiled hub carries it. The page holds no data:
// it asks /api with the user's Kubernetes bearer token, typed into its sign-in form and
// kept in sessionStorage (this tab only, gone when it closes), sent as an Authorization header.
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gridfed</title>
<style>
  :root { --ok:#1f9d55; --warn:#d69e2e; --bad:#e53e3e; --none:#cbd5e0; --ink:#1a202c; --muted:#718096; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: var(--ink); background: #f7fafc; }
  header { background: #2d3748; color: #fff; padding: 12px 24px; display: flex; justify-content: space-between; align-items: baseline; }
  header h1 { margin: 0; font-size: 20px; }
  main { padding: 16px 24px; }
  h2 { font-size: 16px; margin: 20px 0 8px; }
  .cards { display: flex; flex-wrap: wrap; gap: 12px; }
  .card { background: #fff; border-radius: 6px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.1); min-width: 200px; border-left: 6px solid var(--none); }
  .card.ok { border-left-color: var(--ok); } .card.bad { border-left-color: var(--bad); }
  .muted { color: var(--muted); }
  table { border-collapse: collapse; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.1); }
  th, td { padding: 6px 10px; border: 1px solid #e2e8f0; text-align: center; }
  th.grid { text-align: left; }
  td.cell { min-width: 70px; font-weight: 600; color: #fff; }
  td.ok { background: var(--ok); } td.progress { background: var(--warn); } td.bad { background: var(--bad); } td.none { background: var(--none); color: var(--muted); font-weight: 400; }
  #error { color: var(--bad); }
  .rollout { display: block; font-weight: 400; font-size: 12px; color: var(--muted); }
  .rollout.Failed, .rollout.RolledBack { color: var(--bad); } .rollout.Progressing, .rollout.Paused { color: var(--warn); }
  .rev { display: block; font-weight: 400; font-size: 11px; opacity: .85; }
  #login { background: #fff; padding: 12px 14px; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.1); max-width: 640px; }
  #login input { width: 100%; box-sizing: border-box; margin: 6px 0; font: inherit; }
  table.sites td, table.sites th { text-align: left; }
  td.problem { color: var(--bad); } td.fine { color: var(--ok); }
  header button { background: none; border: 1px solid #a0aec0; color: #fff; border-radius: 4px; cursor: pointer; }
</style>
</head>
<body>
<header><h1>gridfed</h1><span><span id="updated" class="muted">loading…</span> <button id="signout" hidden>sign out</button></span></header>
<main>
  <div id="error"></div>
  <form id="login" hidden>
    <label for="token">Kubernetes bearer token for the control cluster (<code>kubectl create token &lt;serviceaccount&gt;</code>); kept in this tab only</label>
    <input id="token" type="password" autocomplete="off" required>
    <button type="submit">sign in</button>
  </form>
  <h2>Member clusters</h2>
  <div id="clusters" class="cards"></div>
  <h2>Grids × NodeUnits</h2>
  <div id="matrix"></div>
  <h2>NodeUnits</h2>
  <div id="nodeunits"></div>
  <h2>NodeGroups</h2>
  <div id="nodegroups"></div>
</main>
<script>
const text = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const TOKEN = 'gridfed-token';
class SignInNeeded extends Error {}
async function get(path) {
  const token = sessionStorage.getItem(TOKEN);
  const res = await fetch(path, { cache: 'no-store', headers: token ? { Authorization: 'Bearer ' + token } : {} });
  if (res.status === 401) throw new SignInNeeded(token ? 'the token was not accepted; sign in again' : 'sign in with a token to see the fleet');
  if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
  return res.json();
}
function showSignIn(show) {
  document.getElementById('login').hidden = !show;
  document.getElementById('signout').hidden = show || !sessionStorage.getItem(TOKEN);
}
document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('token');
  sessionStorage.setItem(TOKEN, input.value.trim());
  input.value = '';
  refresh();
});
document.getElementById('signout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN);
  document.getElementById('clusters').innerHTML = '';
  document.getElementById('matrix').innerHTML = '';
  document.getElementById('nodeunits').innerHTML = '';
  document.getElementById('nodegroups').innerHTML = '';
  refresh();
});
function drawClusters(clusters, queues) {
  const depth = Object.fromEntries(queues.map((q) => [q.member, q]));
  document.getElementById('clusters').innerHTML = clusters.map((c) => {
    const q = depth[c.name] || {};
    const units = Object.entries(c.nodeUnits || {}).map(([k, v]) => k + ': ' + v.join(', ')).join('; ') || 'none';
    return '<div class="card ' + (c.reachable ? 'ok' : 'bad') + '" data-cluster="' + text(c.name) + '" data-reachable="' + c.reachable + '">' +
      '<strong>' + text(c.name) + '</strong> <span class="muted">' + text(c.kubernetesVersion || '') + '</span><br>' +
      (c.reachable ? 'reachable' : 'unreachable: ' + text(c.detail)) + '<br>' +
      '<span class="muted">NodeUnits ' + text(units) + '</span><br>' +
      '<span class="muted">queue: ' + (q.waiting ?? 0) + ' waiting, ' + (q.active ?? 0) + ' active, ' + (q.delayed ?? 0) + ' delayed' + (q.paused ? ', paused' : '') + '</span></div>';
  }).join('') || '<span class="muted">no member cluster registered</span>';
}
function health(row) {
  if (!row) return 'none';
  if (row.stale || row.reachable === false) return 'bad';
  if (row.error) return 'bad';
  return row.ready && row.synced ? 'ok' : 'progress';
}
function drawMatrix(grids) {
  const units = [...new Set(grids.flatMap((g) => g.nodeUnits.map((u) => u.nodeUnit)))].sort();
  if (grids.length === 0) { document.getElementById('matrix').innerHTML = '<span class="muted">no distributed grid</span>'; return; }
  const head = '<tr><th class="grid">grid</th>' + units.map((u) => '<th>' + text(u) + '</th>').join('') + '</tr>';
  const rows = grids.map((g) => {
    const byUnit = {};
    for (const u of g.nodeUnits) (byUnit[u.nodeUnit] ||= []).push(u);
    const cells = units.map((unit) => {
      const rows = byUnit[unit];
      if (!rows) return '<td class="cell none">–</td>';
      const worst = rows.map(health).sort((a, b) => ['bad', 'progress', 'ok', 'none'].indexOf(a) - ['bad', 'progress', 'ok', 'none'].indexOf(b))[0];
      const label = rows.map((r) => r.desiredReplicas === undefined ? (r.ready ? 'ready' : 'pending') : (r.readyReplicas ?? 0) + '/' + r.desiredReplicas).join(' + ');
      const revisions = [...new Set(rows.map((r) => r.revision).filter(Boolean))];
      const onUpdate = g.rollout && revisions.length === 1 && revisions[0] === g.rollout.updateRevision;
      const rev = revisions.length ? '<span class="rev">' + (onUpdate ? '▲ ' : '') + text(revisions.map((r) => r.slice(0, 7)).join(', ')) + '</span>' : '';
      const title = rows.map((r) => r.cluster + ': ' + (r.stale ? 'stale since ' + r.lastSeen : r.ready ? 'ready' : 'not ready') + (r.revision ? ', revision ' + r.revision : '') + (r.error ? ' — ' + r.error : '')).join('\n');
      return '<td class="cell ' + worst + '" data-grid="' + text(g.name) + '" data-nodeunit="' + text(unit) + '" data-health="' + worst + '" data-revision="' + text(revisions.join(',')) + '" title="' + text(title) + '">' + text(label) + rev + '</td>';
    }).join('');
    const r = g.rollout;
    const progress = r ? '<span class="rollout ' + text(r.phase) + '" data-rollout="' + text(r.phase) + '">' + text(r.phase) + (r.wave ? ' wave ' + r.wave + '/' + r.waves : '') + ' · ' + (r.updatedNodeUnits ?? 0) + '/' + new Set(g.nodeUnits.map((u) => u.nodeUnit)).size + ' on ' + text((r.updateRevision || '').slice(0, 7)) + '</span>' : '';
    return '<tr><th class="grid" title="' + text(r && r.message || '') + '">' + text(g.kind) + ' ' + text(g.namespace) + '/' + text(g.name) + progress + '</th>' + cells + '</tr>';
  }).join('');
  document.getElementById('matrix').innerHTML = '<table>' + head + rows + '</table>';
}
// Every condition the hub writes on a NodeUnit says True when all is well (Valid, NoConflicts, NodesManaged):
// a False one is a problem, and NoConflicts' message counts the conflicts.
function siteProblems(u) {
  const failing = u.conditions.filter((c) => c.status !== 'True').map((c) => c.type + ': ' + c.message);
  const notReady = u.notReadyNodes.length ? ['not ready: ' + u.notReadyNodes.join(', ')] : [];
  return [...failing, ...notReady];
}
function drawNodeUnits(units) {
  if (units.length === 0) { document.getElementById('nodeunits').innerHTML = '<span class="muted">no NodeUnit</span>'; return; }
  const head = '<tr><th>NodeUnit</th><th>members</th><th>ready / total nodes</th><th>ready rate</th><th>conflicts or problems</th></tr>';
  const rows = units.map((u) => {
    const ready = u.nodesPerMember.reduce((n, m) => n + m.ready, 0);
    const total = u.nodesPerMember.reduce((n, m) => n + m.total, 0);
    const perMember = u.nodesPerMember.map((m) => m.member + ' ' + m.ready + '/' + m.total).join(', ');
    const problems = u.fed ? siteProblems(u) : [];
    return '<tr data-site-nodeunit="' + text(u.name) + '" data-fed="' + u.fed + '">' +
      '<td><strong>' + text(u.name) + '</strong> <span class="muted">' + text(u.type) + (u.fed ? '' : ', not fed') + '</span></td>' +
      '<td data-members>' + (text(u.members.join(', ')) || '<span class="muted">none</span>') + '</td>' +
      '<td data-nodes title="' + text(perMember) + '">' + ready + '/' + total + (perMember ? ' <span class="muted">(' + text(perMember) + ')</span>' : '') + '</td>' +
      '<td data-readyrate>' + text(u.readyRate || '–') + '</td>' +
      '<td data-problems class="' + (problems.length ? 'problem' : 'fine') + '">' + (problems.length ? problems.map(text).join('<br>') : (u.fed ? 'none' : '<span class="muted">not managed by the hub</span>')) + '</td></tr>';
  }).join('');
  document.getElementById('nodeunits').innerHTML = '<table class="sites">' + head + rows + '</table>';
}
// A NodeGroup's conditions (Valid, NodeUnitsFound) are True when all is well, like a NodeUnit's.
function groupProblems(g) {
  const failing = g.conditions.filter((c) => c.status !== 'True').map((c) => c.type + ': ' + c.message);
  const notReady = g.workloads.filter((w) => (w.notreadyunit || []).length).map((w) => w.workloadname + ' not ready in ' + w.notreadyunit.join(', '));
  return [...failing, ...notReady];
}
function drawNodeGroups(groups) {
  if (groups.length === 0) { document.getElementById('nodegroups').innerHTML = '<span class="muted">no NodeGroup</span>'; return; }
  const head = '<tr><th>NodeGroup</th><th>NodeUnits</th><th>grids: ready / not ready NodeUnits</th><th>problems</th></tr>';
  const rows = groups.map((g) => {
    const grids = g.workloads.map((w) => '<div data-grid-units="' + text(w.workloadname) + '">' + text(w.workloadname) + ': ' +
      text((w.readyunit || []).join(', ') || '–') + ' / ' + text((w.notreadyunit || []).join(', ') || '–') + '</div>').join('');
    const problems = g.fed ? groupProblems(g) : [];
    return '<tr data-site-nodegroup="' + text(g.name) + '" data-fed="' + g.fed + '">' +
      '<td><strong>' + text(g.name) + '</strong>' + (g.fed ? '' : ' <span class="muted">not fed</span>') + '</td>' +
      '<td data-units>' + (text(g.nodeUnits.join(', ')) || '<span class="muted">none</span>') + '</td>' +
      '<td data-grids>' + (grids || '<span class="muted">no grid follows it</span>') + '</td>' +
      '<td data-problems class="' + (problems.length ? 'problem' : 'fine') + '">' + (problems.length ? problems.map(text).join('<br>') : (g.fed ? 'none' : '<span class="muted">not managed by the hub</span>')) + '</td></tr>';
  }).join('');
  document.getElementById('nodegroups').innerHTML = '<table class="sites">' + head + rows + '</table>';
}
async function refresh() {
  try {
    const [clusters, grids, queues, units, groups] = await Promise.all([get('api/clusters'), get('api/grids'), get('api/queues'), get('api/nodeunits'), get('api/nodegroups')]);
    showSignIn(false);
    drawClusters(clusters, queues);
    drawMatrix(grids);
    drawNodeUnits(units);
    drawNodeGroups(groups);
    document.getElementById('error').textContent = '';
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (err) {
    if (err instanceof SignInNeeded) {
      showSignIn(true);
      document.getElementById('updated').textContent = 'not signed in';
      document.getElementById('clusters').innerHTML = '';
      document.getElementById('matrix').innerHTML = '';
      document.getElementById('nodeunits').innerHTML = '';
      document.getElementById('nodegroups').innerHTML = '';
    }
    document.getElementById('error').textContent = (err instanceof SignInNeeded ? '' : 'hub unreachable: ') + err.message;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
