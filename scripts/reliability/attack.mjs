// The oversized-body and similar-suggestion attacks, for --seconds, all at once:
//   - sign-ins with 200 MB bodies (--signin workers): half announce their length
//     (Content-Length), half stream it chunked, so the cap must cut the body off while reading;
//   - 300 MB photos (--upload workers) to the report server function and to the report form
//     posted without JavaScript, announced and chunked alike;
//   - similar-suggestion look-ups (--similar workers) with names at the length cap (40
//     characters) and some far over it, against a call holding --fill more suggestions, from many client addresses (X-Forwarded-For through
//     TRUSTED_PROXIES=127.0.0.1), so the per-address look-up limit does not stop them.
// Every attacking request comes from an address of its own pool; the portal load (wrk, run by
// the caller) comes from 127.0.0.1. Big bodies are generated while sending, never held.
// Prints one JSON object: per attack, requests, statuses, bytes sent, latency, 5xx.
import { request, flags, pct, tally, sleep } from './http.mjs';

const f = flags();
const port = Number(f.port);
const seconds = Number(f.seconds || 20);
const MB = 1024 * 1024;
const base = `http://127.0.0.1:${port}`;
const browser = [['Origin', base], ['Sec-Fetch-Site', 'same-origin']];
let addr = 0;
const xff = () => { addr++; return ['X-Forwarded-For', `10.${88 + (addr >> 16) % 100}.${(addr >> 8) & 255}.${addr & 255}`]; };

async function* zeros(total, chunk = 256 * 1024, chunked = false) {
  const block = Buffer.alloc(chunk, 0x41);
  const frame = chunked ? Buffer.concat([Buffer.from(chunk.toString(16) + '\r\n'), block, Buffer.from('\r\n')]) : block;
  for (let sent = 0; sent < total; sent += chunk) yield frame;
  if (chunked) yield Buffer.from('0\r\n\r\n');
}

function multipartStream(fields, fileBytes, boundary, chunked) {
  const head = Buffer.from(fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')
    + `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const frame = (b) => (chunked ? Buffer.concat([Buffer.from(b.length.toString(16) + '\r\n'), b, Buffer.from('\r\n')]) : b);
  return {
    length: head.length + fileBytes + tail.length,
    stream: (async function* () {
      yield frame(Buffer.concat([head, Buffer.from([0xff, 0xd8, 0xff, 0xe0])]));
      const block = Buffer.alloc(256 * 1024, 0x42);
      for (let sent = 4; sent < fileBytes; sent += block.length) yield frame(block);
      yield frame(tail);
      if (chunked) yield Buffer.from('0\r\n\r\n');
    })(),
  };
}

const stats = {};
const stop = Date.now() + seconds * 1000;
function record(name, r) {
  const s = stats[name] ||= { requests: 0, statuses: {}, five_xx: 0, sent_mb: 0, lat: [], examples: {} };
  s.requests++;
  s.sent_mb += (r.sentBytes || 0) / MB;
  if (r.error) { tally(s.statuses, `error ${r.error}`); return; }
  tally(s.statuses, r.status);
  s.lat.push(r.ms);
  if (r.status >= 500) s.five_xx++;
  if (!s.examples[r.status]) s.examples[r.status] = r.body.toString().replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 120);
}

async function worker(name, make) {
  while (Date.now() < stop) {
    const r = await request({ port, timeoutMs: 60000, ...make() });
    record(name, r);
    if (r.error) await sleep(20);
  }
}

let n = 0;
const signin = () => {
  const chunked = n++ % 2 === 1;
  const headers = [...browser, xff(), ['Content-Type', 'application/x-www-form-urlencoded'], chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(200 * MB)]];
  return { method: 'POST', path: '/api/auth/signin', headers, stream: zeros(200 * MB, 256 * 1024, chunked) };
};
let u = 0;
const upload = () => {
  const i = u++;
  const chunked = i % 2 === 1;
  const path = i % 4 < 2 ? '/api/public/report' : '/report';
  const boundary = 'attack' + i;
  const m = multipartStream([['category', 'noise'], ['description', '夜间施工噪音'], ['consent', 'yes']], 300 * MB, boundary, chunked);
  const headers = [...browser, xff(), ['Content-Type', `multipart/form-data; boundary=${boundary}`], chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(m.length)]];
  return { method: 'POST', path, headers, stream: m.stream };
};
const HAN = '停车位噪音施工开裂村民道路积水路灯新增改造老旧小区公园';
const name = (len) => Array.from({ length: len }, (_, i) => HAN[(i * 7 + Math.floor(Math.random() * HAN.length)) % HAN.length]).join('');
let s = 0;
const similar = () => {
  const over = s++ % 10 === 9;
  const body = `campaign=${f.campaign}&name=${encodeURIComponent(name(over ? 2000 + Math.floor(Math.random() * 8000) : 40))}`;
  return { method: 'POST', path: '/api/public/suggest/similar', headers: [...browser, xff(), ['Content-Type', 'application/x-www-form-urlencoded']], body };
};

// The look-ups compare the typed name with every suggestion of the call: first --fill
// suggestions are made through the public form (each from an address of its own, as
// residents), so there are that many to compare with.
const fill = Number(f.fill || 0);
if (fill > 0) {
  const page = await request({ port, method: 'POST', path: '/api/public/suggest/page', headers: [...browser, ['Content-Type', 'application/x-www-form-urlencoded'], ['X-Forwarded-For', '10.87.0.1']], body: `campaign=${f.campaign}` });
  const categories = JSON.parse(page.body.toString()).campaign.campaign.categories;
  let made = 0;
  const refused = {};
  const { pool, form } = await import('./http.mjs');
  await pool(fill, 8, async (i) => {
    const body = form([['input[campaign]', f.campaign], ['input[name]', name(8 + (i % 13))], ['input[content]', `新增${i + 3}处${name(10)}`], ['input[overview]', name(20)],
      ['input[category]', categories[i % categories.length]], ['input[area_id]', ''], ['input[person]', ''], ['input[phone]', ''], ['input[consent]', ''], ['input[website]', '']]);
    const r = await request({ port, method: 'POST', path: '/api/public/suggest/submit', headers: [...browser, ['Content-Type', 'application/x-www-form-urlencoded'], ['X-Forwarded-For', `10.86.${i >> 8}.${i & 255}`]], body });
    if (r.status === 200) made++;
    else tally(refused, `${r.status || r.error} ${r.body ? r.body.toString().slice(0, 80) : ''}`);
  });
  process.stderr.write(`[attack] ${made} suggestions made for the look-ups to compare with${Object.keys(refused).length ? `; refused: ${JSON.stringify(refused)}` : ''}\n`);
}

// --at-once N --path P: N photos of 70 MB posted at the same moment to P, chunked (no
// length announced, so the body cap can only act while reading), each from its own address:
// what the server holds per upload in flight.
if (f['at-once']) {
  const N = Number(f['at-once']);
  const rs = await Promise.all(Array.from({ length: N }, (_, i) => {
    const m = multipartStream([['category', 'noise'], ['description', '夜间施工噪音'], ['consent', 'yes']], 70 * MB, 'atonce' + i, true);
    return request({ port, method: 'POST', path: f.path, timeoutMs: 120000, stream: m.stream,
      headers: [...browser, ['X-Forwarded-For', `10.85.0.${i + 1}`], ['Content-Type', `multipart/form-data; boundary=atonce${i}`], ['Transfer-Encoding', 'chunked']] });
  }));
  const statuses = {};
  for (const r of rs) tally(statuses, r.error ? `error ${r.error}` : r.status);
  console.log(JSON.stringify({ path: f.path, at_once: N, statuses, five_xx: rs.filter((r) => r.status >= 500).length }));
  process.exit(0);
}

const t0 = Date.now();
await Promise.all([
  ...Array.from({ length: Number(f.signin || 4) }, () => worker('sign-in, 200 MB body', signin)),
  ...Array.from({ length: Number(f.upload || 4) }, () => worker('report, 300 MB photo', upload)),
  ...Array.from({ length: Number(f.similar || 16) }, () => worker('similar suggestions, long names', similar)),
]);
const out = {};
for (const [k, v] of Object.entries(stats)) {
  out[k] = { requests: v.requests, statuses: v.statuses, five_xx: v.five_xx, sent_mb: Math.round(v.sent_mb), p50_ms: Math.round(pct(v.lat, 50)), p99_ms: Math.round(pct(v.lat, 99)), examples: v.examples };
}
console.log(JSON.stringify({ seconds: (Date.now() - t0) / 1000, addresses: addr, attacks: out }));
