// Deadlines that fall due during the kill series, made through the product's own flows:
// an operator (made with `server user add`) signs in, --cases cases are filed through the
// API and each is dispatched to a unit through the case page's server function
// (/api/cases/act). Every unit then has its category's time to sign (5 minutes); nobody
// signs, so the scheduler must escalate each case once that time has passed.
// Prints {"cases": [{id, code}], "unit": {...}, "dispatched_ms": [first, last]}.
import { request, flags, form, multipart } from './http.mjs';

const f = flags();
const port = Number(f.port);
const base = `http://127.0.0.1:${port}`;
const browser = [['Origin', base], ['Sec-Fetch-Site', 'same-origin']];

const fail = (what, r) => { console.error(`[prep] ${what}: ${r.error || r.status} ${r.body ? r.body.toString().slice(0, 300) : ''}`); process.exit(2); };

const signin = await request({ port, method: 'POST', path: '/api/auth/signin', headers: [...browser, ['Content-Type', 'application/x-www-form-urlencoded']], body: form([['username', f.username], ['password', f.password]]) });
if (signin.error || signin.status >= 400) fail('sign-in', signin);
const cookie = (signin.headers['set-cookie'] || '').split(/,(?=\s*\w+=)/).map((c) => c.split(';')[0].trim()).filter((c) => c.startsWith('shezhi_sid=')).join('; ');
if (!cookie) fail('sign-in set no session cookie', signin);
const staff = [...browser, ['Cookie', cookie]];

const opts = await request({ port, method: 'POST', path: '/api/cases/options', headers: [...staff, ['Content-Type', 'application/x-www-form-urlencoded']], body: '' });
if (opts.error || opts.status !== 200) fail('case options', opts);
const units = JSON.parse(opts.body.toString()).units;
const unit = units.find((u) => u.name === f.unit) || units[0];

const cases = [];
let first = null;
let last = null;
for (let i = 0; i < Number(f.cases || 10); i++) {
  const filed = await request({ port, method: 'POST', path: '/api/v1/cases', headers: [['Authorization', `Bearer ${f.token}`], ['Content-Type', 'application/json']],
    body: JSON.stringify({ category: 'noise', description: `调度后无人签收（可靠性测试 ${i}）`, reporter_phone: '13812345678' }) });
  if (filed.status !== 201) fail('filing a case', filed);
  const { id, code } = JSON.parse(filed.body.toString());
  const mp = multipart([['id', String(id)], ['command', 'dispatch'], ['lead', String(unit.id)], ['cooperating', '']]);
  const act = await request({ port, method: 'POST', path: '/api/cases/act', headers: [...staff, ['Content-Type', mp.type]], body: mp.body });
  if (act.error || act.status >= 300) fail(`dispatching case ${code}`, act);
  first ??= Date.now();
  last = Date.now();
  cases.push({ id, code });
}
console.log(JSON.stringify({ cases, unit, dispatched_ms: [first, last] }));
