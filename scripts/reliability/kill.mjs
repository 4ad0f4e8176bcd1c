// kill -9 under intake load: starts the release server (env as given: DATABASE_URL, LEPTOS_*),
// has --clients concurrent systems file cases through POST /api/v1/cases, and at a random
// moment --min-ms..--max-ms after the load began kills the server with SIGKILL; then starts
// it again on the same database and reads back, through GET /api/v1/cases/{code}, every case
// whose creation was acknowledged (a 201 whose JSON body, read to its end, names the code).
// --kills rounds, and more while the clock is before --until (Unix ms: the dispatched cases'
// deadlines, so they fall due under the kills); afterwards one more start reads back every
// code of every round.
// Prints one JSON object: figures, the codes that were lost, and when the server ran
// (spawn..kill, Unix ms) for the scheduler check.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { request, flags, rng, sleep, pct, tally, pool } from './http.mjs';

const f = flags();
const port = Number(f.port);
const kills = Number(f.kills || 100);
const until = Number(f.until || 0);
const clients = Number(f.clients || 8);
const minMs = Number(f['min-ms'] || 200);
const maxMs = Number(f['max-ms'] || 1500);
const seed = Number(f.seed || Date.now() % 2 ** 31);
const rand = rng(seed);
const log = fs.openSync(f.log, 'a');
const auth = ['Authorization', `Bearer ${f.token}`];

let server = null;
function start() {
  const child = spawn(f.bin, [], { stdio: ['ignore', log, log], env: process.env });
  const s = { child, spawnedAt: Date.now(), exited: null };
  s.exit = new Promise((res) => child.on('exit', (code, sig) => { s.exited = { code, sig }; res(s.exited); }));
  return s;
}

async function healthy(s, timeoutMs = 60000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (s.exited) throw new Error(`server exited while starting: ${JSON.stringify(s.exited)} (see ${f.log})`);
    const r = await request({ port, method: 'GET', path: '/healthz', timeoutMs: 2000 });
    if (r.status === 200) return Date.now() - s.spawnedAt;
    await sleep(20);
  }
  throw new Error(`server not healthy within ${timeoutMs} ms (see ${f.log})`);
}

function caseBody(round, c, n) {
  return JSON.stringify({
    category: n % 2 ? 'noise' : 'construction-damage',
    urgency: 'normal',
    title: `可靠性 ${round}-${c}-${n}`,
    description: `夜间施工噪音，第${round}轮，客户端${c}，第${n}件`,
    address: '莲花镇五坪村',
    reporter_name: '张三',
    reporter_phone: '13812345678',
    external_ref: `rel-${round}-${c}-${n}`,
  });
}

const totals = { statuses: {}, errors: {}, acked: 0, cutOff: 0, fiveXX: 0, requests: 0 };
async function loadClient(round, c, st) {
  let n = 0;
  while (!st.stop) {
    const r = await request({ port, method: 'POST', path: '/api/v1/cases', headers: [auth, ['Content-Type', 'application/json']], body: caseBody(round, c, n++), timeoutMs: 15000 });
    totals.requests++;
    if (r.error) {
      tally(totals.errors, r.error);
      await sleep(5);
      continue;
    }
    tally(totals.statuses, r.status);
    if (r.status >= 500) { totals.fiveXX++; st.fiveXX.push(`${r.status} ${r.body.toString().slice(0, 200)}`); }
    if (r.status === 201) {
      let code = null;
      try { code = JSON.parse(r.body.toString()).code; } catch { /* cut off mid-answer */ }
      if (r.complete && code) st.acked.push(code);
      else totals.cutOff++;
    }
  }
}

// Reads the codes back; returns those the server does not know, and tallies other answers.
const verifyStatuses = {};
async function verify(codes) {
  const missing = [];
  await pool(codes.length, 8, async (i) => {
    const code = codes[i];
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await request({ port, method: 'GET', path: `/api/v1/cases/${encodeURIComponent(code)}`, headers: [auth], timeoutMs: 15000 });
      if (r.error) { await sleep(100); continue; }
      tally(verifyStatuses, r.status);
      let body = null;
      try { body = JSON.parse(r.body.toString()); } catch { /* not JSON */ }
      if (r.status === 200 && body && body.code === code) return;
      missing.push({ code, status: r.status, body: r.body.toString().slice(0, 200) });
      return;
    }
    missing.push({ code, status: 'no answer' });
  });
  return missing;
}

const t0 = Date.now();
const intervals = [];
const readyMs = [];
const lost = [];
const fiveXX = [];
let prev = [];
let all = [];
let roundsWithoutAcks = 0;
let loadMs = 0;
try {
  let round = 0;
  while (round < kills || Date.now() < until) {
    round++;
    server = start();
    readyMs.push(await healthy(server));
    for (const m of await verify(prev)) lost.push({ ...m, round: round - 1, when: 'after restart' });
    const st = { stop: false, acked: [], fiveXX };
    const loadStart = Date.now();
    const running = Array.from({ length: clients }, (_, c) => loadClient(round, c, st));
    await sleep(minMs + rand() * (maxMs - minMs));
    st.stop = true;
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    await server.exit;
    await Promise.all(running);
    loadMs += killedAt - loadStart;
    intervals.push([server.spawnedAt, killedAt]);
    server = null;
    if (!st.acked.length) roundsWithoutAcks++;
    totals.acked += st.acked.length;
    prev = st.acked;
    all = all.concat(st.acked);
    if (round % 10 === 0) {
      process.stderr.write(`[kill] ${round} kills (at least ${kills}${until ? ', and until the deadlines have passed' : ''}), ${totals.acked} acknowledged, ${lost.length} lost, ${Math.round((Date.now() - t0) / 1000)} s\n`);
    }
  }
  // One last start: the last round's codes, then every code of every round again.
  server = start();
  readyMs.push(await healthy(server));
  for (const m of await verify(prev)) lost.push({ ...m, round, when: 'after restart' });
  const sweepLost = await verify(all);
  server.child.kill('SIGTERM');
  const stopped = await Promise.race([server.exit, sleep(20000).then(() => null)]);
  if (!stopped) { server.child.kill('SIGKILL'); await server.exit; }
  intervals.push([server.spawnedAt, Date.now()]);
  server = null;
  console.log(JSON.stringify({
    seed, kills: round, kills_asked: kills, clients, kill_after_ms: [minMs, maxMs],
    requests: totals.requests, acknowledged: totals.acked, distinct_acknowledged: new Set(all).size,
    lost_after_restart: lost.length, lost_in_final_sweep: sweepLost.length, lost: lost.concat(sweepLost.map((m) => ({ ...m, when: 'final sweep' }))).slice(0, 50),
    statuses: totals.statuses, connection_errors: totals.errors, cut_off_answers: totals.cutOff,
    five_xx: totals.fiveXX, five_xx_examples: fiveXX.slice(0, 5), verify_statuses: verifyStatuses,
    rounds_without_acks: roundsWithoutAcks,
    ready_ms: { p50: pct(readyMs, 50), p99: pct(readyMs, 99), max: Math.max(...readyMs) },
    load_s: loadMs / 1000, wall_s: (Date.now() - t0) / 1000, intervals,
  }));
} catch (e) {
  if (server) { server.child.kill('SIGKILL'); }
  console.error(`[kill] broke: ${e.stack || e}`);
  process.exit(2);
}
