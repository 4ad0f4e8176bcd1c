// A --rate req/s burst for --seconds on each public form, one form after the other, each
// from a client address of its own (X-Forwarded-For through TRUSTED_PROXIES=127.0.0.1, so
// one form's bucket does not decide another's). Requests are sent on a fixed schedule,
// whether or not earlier ones were answered (an open loop, as a flood is). Every request is
// one a resident could send; the first ones are accepted or refused on their merits, the
// rest must be refused 429 with Retry-After. Never a 5xx.
// Finds the open livelihood call, files a case (--token) and a suggestion for their tracking
// pairs, and takes a suggestion of the public list to support.
// Prints one JSON object: per form, statuses, 429s with and without Retry-After, 5xx, latency.
import { request, flags, sleep, pct, tally, form, multipart } from './http.mjs';

const f = flags();
const port = Number(f.port);
const rate = Number(f.rate || 50);
const seconds = Number(f.seconds || 4);
const base = `http://127.0.0.1:${port}`;
const browser = [['Origin', base], ['Sec-Fetch-Site', 'same-origin']];
const urlenc = ['Content-Type', 'application/x-www-form-urlencoded'];
const phone = (i) => `139${String(10000000 + i).slice(-8)}`;
// The suggestion form's fields; the hydrated page sends them to the server function as input[...].
const suggestion = (i, wrap = (k) => k) => [
  ['campaign', f.campaign], ['name', `新增公共停车位第${i}处`], ['content', `在城区新增${i + 10}个公共停车位`],
  ['overview', '老城区停车难，群众反映强烈。'], ['category', f.category || '交通出行'], ['area_id', ''],
  ['person', ''], ['phone', ''], ['consent', ''], ['website', ''],
].map(([k, v]) => [wrap(k), v]);

const report = (i) => [['category', 'noise'], ['description', `夜间施工噪音，第${i}次反映`], ['reporter_name', '张三'], ['reporter_phone', phone(i)], ['consent', 'yes']];
const FORMS = {
  'POST /report (no JavaScript)': (i) => ({ path: '/report', headers: [urlenc], body: form(report(i)) }),
  'POST /api/public/report': (i) => { const m = multipart(report(i)); return { path: '/api/public/report', headers: [['Content-Type', m.type]], body: m.body }; },
  'POST /suggest (no JavaScript)': (i) => ({ path: '/suggest', headers: [urlenc], body: form(suggestion(i)) }),
  'POST /api/public/suggest/submit': (i) => ({ path: '/api/public/suggest/submit', headers: [urlenc], body: form(suggestion(i, (k) => `input[${k}]`)) }),
  'POST /api/public/suggest/similar': (i) => ({ path: '/api/public/suggest/similar', headers: [urlenc], body: form([['campaign', f.campaign], ['name', `停车位${i}`]]) }),
  'POST /track (no JavaScript)': () => ({ path: '/track', headers: [urlenc], body: form([['code', f.code], ['secret', f.secret]]) }),
  'POST /api/public/track': () => ({ path: '/api/public/track', headers: [urlenc], body: form([['code', f.code], ['secret', f.secret]]) }),
  'POST /api/public/rate': (i) => ({ path: '/api/public/rate', headers: [urlenc], body: form([['code', f.code], ['secret', f.secret], ['satisfied', String(i % 2 === 0)], ['comment', '']]) }),
  'POST /suggest/track (no JavaScript)': () => ({ path: '/suggest/track', headers: [urlenc], body: form([['code', f.scode], ['secret', f.ssecret]]) }),
  'POST /api/public/suggest/track': () => ({ path: '/api/public/suggest/track', headers: [urlenc], body: form([['code', f.scode], ['secret', f.ssecret]]) }),
  'POST /suggest/list (support, no JavaScript)': () => ({ path: '/suggest/list', headers: [urlenc], body: form([['campaign', f.campaign], ['support', f.support]]) }),
  'POST /api/auth/signin (wrong password)': (i) => ({ path: '/api/auth/signin', headers: [urlenc], body: form([['username', i % 2 ? 'admin' : `nobody${i}`], ['password', 'wrong-password']]) }),
};

// What the forms need, found or made through the public and API routes themselves (from
// addresses of their own, so no burst starts with a used bucket).
async function call(path, body, extra = []) {
  const r = await request({ port, method: 'POST', path, headers: [...browser, urlenc, ['X-Forwarded-For', '10.76.0.1'], ...extra], body });
  if (r.error || r.status !== 200) { console.error(`[burst] setup ${path}: ${r.error || r.status} ${r.body ? r.body.toString().slice(0, 200) : ''}`); process.exit(2); }
  return JSON.parse(r.body.toString());
}
const page = await call('/api/public/suggest/page', '');
if (!page.campaign || page.campaign.phase !== 'Open') { console.error(`[burst] no open livelihood call in the demo data: ${JSON.stringify(page.campaign)}`); process.exit(2); }
f.campaign = String(page.campaign.campaign.id);
f.category = page.campaign.campaign.categories[0];
const mine = await call('/api/public/suggest/submit', form(suggestion(0, (k) => `input[${k}]`)), [['X-Forwarded-For', '10.76.0.2']]);
f.scode = mine.code; f.ssecret = mine.secret;
const list = await call('/api/public/suggest/list', form([['campaign', f.campaign]]));
f.support = String((list.rows[0] || {}).id || 1);
const filed = await request({ port, method: 'POST', path: '/api/v1/cases', headers: [['Authorization', `Bearer ${f.token}`], ['Content-Type', 'application/json']], body: JSON.stringify({ category: 'noise', description: '夜间施工噪音', reporter_phone: '13812345678' }) });
if (filed.status !== 201) { console.error(`[burst] filing a case: ${filed.error || filed.status} ${filed.body}`); process.exit(2); }
({ code: f.code, secret: f.secret } = JSON.parse(filed.body.toString()));

const results = {};
let formNo = 0;
for (const [name, make] of Object.entries(FORMS)) {
  formNo++;
  const xff = ['X-Forwarded-For', `10.77.${formNo}.${1 + Math.floor(Math.random() * 250)}`];
  const n = rate * seconds;
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const spec = make(i);
    pending.push(request({ port, method: 'POST', timeoutMs: 30000, ...spec, headers: [...browser, xff, ...spec.headers] }));
  }
  const sentIn = (performance.now() - t0) / 1000;
  const answers = await Promise.all(pending);
  const r = { sent: n, sent_in_s: Math.round(sentIn * 100) / 100, statuses: {}, too_many: 0, too_many_with_retry_after: 0, retry_after_values: {}, five_xx: 0, no_answer: 0, examples: {} };
  const lat = [];
  for (const a of answers) {
    if (a.error) { r.no_answer++; tally(r.statuses, `error ${a.error}`); continue; }
    lat.push(a.ms);
    tally(r.statuses, a.status);
    if (a.status >= 500) r.five_xx++;
    if (a.status === 429) {
      r.too_many++;
      if (a.headers['retry-after'] !== undefined && /^\d+$/.test(a.headers['retry-after'])) { r.too_many_with_retry_after++; tally(r.retry_after_values, a.headers['retry-after']); }
    }
    if (!r.examples[a.status]) {
      let b = a.body.toString();
      if ((a.headers['content-type'] || '').includes('html')) b = ((/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(b) || /role="alert"[^>]*>([\s\S]*?)<\//.exec(b) || /<title>([\s\S]*?)<\/title>/.exec(b) || [, ''])[1]).replace(/<[^>]+>/g, '').trim();
      r.examples[a.status] = b.slice(0, 140);
    }
  }
  r.p50_ms = Math.round(pct(lat, 50)); r.p99_ms = Math.round(pct(lat, 99));
  results[name] = r;
  process.stderr.write(`[burst] ${name}: ${JSON.stringify(r.statuses)}, 429 with Retry-After ${r.too_many_with_retry_after}/${r.too_many}\n`);
  await sleep(300);
}
console.log(JSON.stringify({ rate, seconds, forms: results }));
