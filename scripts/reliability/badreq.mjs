// --count generated bad requests over every public and API route: the pages, the public
// server functions (/api/public/*, /api/auth/*, /api/account/*), the no-JavaScript form
// posts, the JSON API (/api/v1/*), the hand-written routes, and (anonymously) every staff
// server function and page. Kinds: wrong types, huge and empty fields, broken multipart,
// bad UTF-8 (in escapes, raw bytes, paths, JSON, multipart parts and file names), wrong
// content types, wrong methods, cross-site and missing browser headers, bad tokens.
// Every request is built to be refused or to only read: none carries a valid secret,
// password, campaign or category together with the rest of a valid submission, so no table
// may change (the caller compares the database before and after).
// Prints one JSON object: statuses, 5xx and unclear 4xx with examples, per kind and route.
import { request, flags, rng, tally, pool, form, multipart } from './http.mjs';

const f = flags();
const port = Number(f.port);
const N = Number(f.count || 10000);
const rand = rng(Number(f.seed || 12));
const token = f.token;
const base = `http://127.0.0.1:${port}`;
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

// ---- building blocks --------------------------------------------------------------------
const HAN = '停车位噪音施工开裂村民道路积水路灯';
const han = (n) => Array.from({ length: n }, () => HAN[int(0, HAN.length - 1)]).join('');
const BAD_UTF8 = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe4, 0xb8]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])];
const BAD_ESCAPES = ['%FF%FE', '%C0%AF', '%E4%B8', '%ED%A0%80', '%', '%Z1', '%4', '%%', '%80abc'];
const WRONG_INT = ['abc', '1.5', '99999999999999999999999', '-', '0x10', ' 1', '1e9', 'NaN', '[]', '{}', 'true', '-9223372036854775809'];
const WRONG_BOOL = ['maybe', '2', 'yes please', '', 'TRUE1', '[]'];
const hugeString = () => pick([han(int(2000, 20000)), 'x'.repeat(int(60000, 70000)), 'a'.repeat(int(100000, 2000000)), '\u0000'.repeat(int(1, 5000)), '\u202e'.repeat(300)]);
const weird = () => pick(['', ' ', '\u0000', '\t\r\n', '=HYPERLINK("http://evil")', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '😀'.repeat(50), han(5), '\ufffd', 'null', '{}']);

const urlenc = ['Content-Type', 'application/x-www-form-urlencoded'];
const sameOrigin = [['Origin', base], ['Sec-Fetch-Site', 'same-origin']];
// Mostly as our pages send it, or as a non-browser client (neither header); a fifth of the
// time as another site's page would (refused 403 before anything is read).
const browserHeaders = () => {
  const x = rand();
  if (x < 0.45) return sameOrigin;
  if (x < 0.75) return [];
  if (x < 0.8) return [['Origin', base]];
  return pick([[['Origin', 'http://evil.example']], [['Sec-Fetch-Site', 'cross-site']], [['Sec-Fetch-Site', 'same-site'], ['Origin', 'http://sub.127.0.0.1']], [['Origin', 'null']]]);
};

/** A url-encoded body of pairs whose values may be Buffers of raw bytes. */
function rawForm(pairs) {
  const bufs = [];
  pairs.forEach(([k, v], i) => {
    if (i) bufs.push(Buffer.from('&'));
    bufs.push(Buffer.from(encodeURIComponent(k)), Buffer.from('='));
    bufs.push(Buffer.isBuffer(v) ? v : Buffer.from(encodeURIComponent(v)));
  });
  return Buffer.concat(bufs);
}

// Argument names and kinds of each server function taking a url-encoded form.
const S = 'str', I = 'int', OI = 'optint', B = 'bool';
const PUBLIC_FNS = {
  '/api/public/options': {},
  '/api/public/track': { code: S, secret: S },
  '/api/public/rate': { code: S, secret: S, satisfied: B, comment: S },
  '/api/public/suggest/page': { campaign: OI },
  '/api/public/suggest/similar': { campaign: I, name: S },
  '/api/public/suggest/track': { code: S, secret: S },
  '/api/public/suggest/list': { campaign: OI, category: S, area: OI },
  '/api/public/suggest/submit': { 'input[campaign]': I, 'input[name]': S, 'input[content]': S, 'input[overview]': S, 'input[category]': S, 'input[area_id]': OI, 'input[person]': S, 'input[phone]': S, 'input[consent]': S, 'input[website]': S },
  '/api/auth/signin': { username: S, password: S, next: S },
  '/api/auth/signout': {},
  '/api/auth/me': {},
  '/api/account/password': { current: S, new_password: S, repeated: S, next: S },
};
const STAFF_FNS = ['field/profile', 'admin/areas/list', 'admin/areas/save', 'admin/areas/active', 'admin/units/list', 'admin/units/save', 'admin/units/active', 'admin/users/list',
  'admin/users/save', 'admin/users/active', 'admin/users/unlock', 'admin/users/reset-password', 'admin/audit', 'cases/options', 'cases/list', 'cases/detail', 'cases/duplicates',
  'cases/routing_hint', 'center/campaigns/list', 'admin/campaigns/save', 'center/campaigns/queue', 'center/suggestions/detail', 'center/suggestions/review', 'field/suggestions/list',
  'field/suggestions/answer', 'center/campaigns/publish', 'center/summary', 'field/inbox', 'field/units_below'].map((p) => `/api/${p}`);
const MULTIPART_FNS = ['/api/public/report', '/api/cases/register', '/api/cases/act', '/api/admin/import'];
const POSTED = ['/report', '/track', '/suggest', '/suggest/track', '/suggest/list'];
const PAGES = ['/', '/signin', '/account/password', '/report', '/track', '/suggest', '/suggest/track', '/suggest/list', '/center', '/center/admin/areas', '/center/admin/units',
  '/center/admin/users', '/center/admin/import', '/center/admin/audit', '/field', '/field/report', '/field/cases/1', '/center/cases', '/center/cases/new', '/center/cases/1',
  '/center/campaigns', '/center/campaigns/1', '/center/suggestions/1', '/field/suggestions', '/healthz', '/lang/en', '/lang/zh', '/files/1', '/events', '/center/cases/export.csv',
  '/center/cases/export.xlsx', '/center/campaigns/1/export.xlsx', '/api/v1/categories', '/api/v1/openapi.json', '/api/v1/cases/SZ-NOPE', '/api/v1', '/no/such/page', '/pkg/none.wasm'];

function valueFor(kind, mode) {
  if (mode === 'wrong') return kind === I || kind === OI ? pick(WRONG_INT) : kind === B ? pick(WRONG_BOOL) : pick(['', weird()]);
  if (mode === 'huge') return hugeString();
  if (mode === 'empty') return '';
  // plausible but wrong: unknown codes, secrets that match nothing, a campaign that is not open
  return kind === I ? pick(['0', '-1', '987654', '2147483648']) : kind === OI ? pick(['', '0', '987654']) : kind === B ? pick(['true', 'false']) : pick(['SZ-NOPE-1', 'wrong', weird(), han(3)]);
}

/** Fields that make a submission invalid whatever else it carries (so nothing is stored). */
function fatal(path, pairs) {
  const set = (k, v) => { const i = pairs.findIndex(([kk]) => kk === k); if (i >= 0) pairs[i][1] = v; else pairs.push([k, v]); };
  if (path === '/api/public/suggest/submit') set('input[campaign]', pick(['', 'x', '-1', '987654', '1.5']));
  if (path === '/api/auth/signin') set('password', pick(['', 'wrong-password', 'x'.repeat(300)]));
  if (path === '/api/public/rate' || path.endsWith('/track')) set('secret', pick(['', 'wrong', 'x'.repeat(100)]));
  return pairs;
}

// ---- the generators: each returns {kind, route, method, path, headers, body | stream} ---
const gens = [];
const add = (kind, route, g) => gens.push({ kind, route, g });

for (const [path, args] of Object.entries(PUBLIC_FNS)) {
  const names = Object.keys(args);
  const post = (kind, body, extra = []) => ({ method: 'POST', path, headers: [...browserHeaders(), ...extra], body });
  for (const mode of ['wrong', 'huge', 'empty', 'plausible']) {
    add(mode === 'wrong' ? 'wrong types' : mode === 'huge' ? 'huge fields' : mode === 'empty' ? 'empty fields' : 'plausible but wrong', path, () => {
      const pairs = names.map((n) => [n, rand() < 0.5 || mode === 'empty' ? valueFor(args[n], mode) : valueFor(args[n], 'plausible')]);
      return post(mode, form(fatal(path, pairs)), [urlenc]);
    });
  }
  add('empty fields', path, () => post('empty body', '', [urlenc]));
  add('missing fields', path, () => post('missing', form(fatal(path, names.length ? [[pick(names), valueFor(S, 'plausible')]].filter(() => rand() < 0.5) : [])), [urlenc]));
  add('wrong types', path, () => post('nested', form(fatal(path, [[`${pick(names.length ? names : ['x'])}[a][b]`, '1'], ...names.map((n) => [n, 'x'])])), [urlenc]));
  add('wrong types', path, () => post('duplicated', form(fatal(path, names.flatMap((n) => [[n, 'a'], [n, 'b']]))), [urlenc]));
  add('bad UTF-8', path, () => post('escapes', Buffer.from(`${names[0] || 'x'}=${pick(BAD_ESCAPES)}&${names[1] || 'y'}=${pick(BAD_ESCAPES)}`), [urlenc]));
  add('bad UTF-8', path, () => post('raw bytes', rawForm(fatal(path, names.map((n) => [n, Buffer.concat([Buffer.from('a'), pick(BAD_UTF8)])]))), [urlenc]));
  add('huge fields', path, () => post('over the cap', Buffer.alloc(int(70000, 3000000), 'a'), [urlenc]));
  add('wrong content type', path, () => post('json', JSON.stringify({ [names[0] || 'x']: 1 }), [['Content-Type', pick(['application/json', 'text/plain', 'application/cbor', 'application/x-www-form-urlencoded; charset=latin1x', 'image/png'])]]));
  add('wrong content type', path, () => post('none', form(fatal(path, names.map((n) => [n, 'x'])))));
  add('broken multipart', path, () => { const m = multipart(fatal(path, names.map((n) => [n, 'x']))); return post('multipart to a form call', m.body, [['Content-Type', m.type]]); });
  add('wrong methods', path, () => ({ method: pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO']), path: path + pick(['', '?' + form(names.map((n) => [n, 'x']))]), headers: browserHeaders() }));
  add('cross-site', path, () => ({ method: 'POST', path, headers: [pick([['Origin', 'http://evil.example'], ['Sec-Fetch-Site', 'cross-site'], ['Origin', 'null']]), urlenc], body: form(fatal(path, names.map((n) => [n, 'x']))) }));
}

for (const path of STAFF_FNS) {
  add('staff call without a session', path, () => ({ method: 'POST', path, headers: [...browserHeaders(), urlenc], body: pick(['', 'id=1', 'id=abc', form([['x', hugeString().slice(0, 60000)]])]) }));
  add('wrong methods', path, () => ({ method: pick(['GET', 'PUT', 'DELETE']), path, headers: [] }));
  add('staff call with a forged session', path, () => ({ method: 'POST', path, headers: [...sameOrigin, urlenc, ['Cookie', `shezhi_sid=${pick(['x', 'A'.repeat(40), '%FF', '', 'a'.repeat(5000)])}`]], body: 'id=1' }));
}

// Multipart: the resident's report, and the staff ones anonymously.
const reportFields = () => {
  // Never a valid report: the category is unknown or missing, whatever else is there.
  const p = [['description', pick([han(int(1, 30)), '', hugeString().slice(0, 50000)])], ['reporter_phone', pick(['13812345678', '123', '', weird()])], ['consent', pick(['yes', 'no', ''])]];
  if (rand() < 0.7) p.push(['category', pick(['no-such-category', '', weird(), '1'])]);
  if (rand() < 0.3) p.push(['lat', pick(WRONG_INT)], ['lng', pick(WRONG_INT)]);
  if (rand() < 0.3) p.push(['area_id', pick(WRONG_INT)]);
  if (rand() < 0.2) p.push(['website', 'http://spam.example']);
  return p;
};
for (const path of [...MULTIPART_FNS, '/report']) {
  const post = (body, type, extra = []) => ({ method: 'POST', path, headers: [...browserHeaders(), ['Content-Type', type], ...extra], body });
  add('broken multipart', path, () => { const m = multipart(reportFields()); return post(m.body, 'multipart/form-data'); }); // no boundary
  add('broken multipart', path, () => { const m = multipart(reportFields()); return post(m.body, 'multipart/form-data; boundary='); });
  add('broken multipart', path, () => { const m = multipart(reportFields()); return post(m.body, 'multipart/form-data; boundary=not-the-one'); });
  add('broken multipart', path, () => { const m = multipart(reportFields()); return post(m.body.subarray(0, int(1, m.body.length - 1)), m.type); }); // cut off
  add('broken multipart', path, () => { const m = multipart(reportFields()); return post(Buffer.from(m.body.toString('latin1').replace(/--\r\n$/, '')), m.type); }); // no end
  add('broken multipart', path, () => post(Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--b--\r\n'), 'multipart/form-data; boundary=b'));
  add('broken multipart', path, () => post(Buffer.from('--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--\r\n'), 'multipart/form-data; boundary=b'));
  add('broken multipart', path, () => post(Buffer.from('--b\r\nContent-Disposition: form-data; name="description"\r\nbroken header line\r\n\r\nx\r\n--b--\r\n'), 'multipart/form-data; boundary=b'));
  add('broken multipart', path, () => post(Buffer.from(pick(['garbage', '', '--b--', '\r\n\r\n', 'a'.repeat(10000)])), 'multipart/form-data; boundary=b'));
  add('broken multipart', path, () => { const m = multipart([...reportFields(), ...Array.from({ length: int(60, 400) }, (_, i) => [`extra${i}`, 'x'])]); return post(m.body, m.type); }); // too many parts
  add('huge fields', path, () => { const m = multipart([...reportFields(), ['files', { filename: 'big.jpg', type: 'image/jpeg', data: Buffer.alloc(int(10 * 1024 * 1024 + 1, 12 * 1024 * 1024), 0xff) }]]); return post(m.body, m.type); });
  add('wrong types', path, () => { const m = multipart([...reportFields(), ['files', { filename: pick(['x.exe', 'a.jpg', 'noext', '../../etc/passwd', '']), type: pick(['application/x-msdownload', 'image/jpeg', 'text/html']), data: pick([Buffer.from('MZ\x90\x00'), Buffer.from('<html>'), Buffer.alloc(0)]) }]]); return post(m.body, m.type); });
  add('bad UTF-8', path, () => { const m = multipart([...reportFields(), ['description', Buffer.concat([Buffer.from('施工'), pick(BAD_UTF8)])]]); return post(m.body, m.type); });
  add('bad UTF-8', path, () => { const b = 'q'; const body = Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="files"; filename="`), pick(BAD_UTF8), Buffer.from(`.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--${b}--\r\n`, 'latin1')]); return post(body, `multipart/form-data; boundary=${b}`); });
  add('wrong content type', path, () => post(form(reportFields()), pick(['application/x-www-form-urlencoded', 'text/plain', 'application/json'])));
  add('empty fields', path, () => { const m = multipart([['category', ''], ['description', ''], ['consent', '']]); return post(m.body, m.type); });
  add('cross-site', path, () => { const m = multipart(reportFields()); return { method: 'POST', path, headers: [pick([['Origin', 'http://evil.example'], ['Sec-Fetch-Site', 'cross-site']]), ['Content-Type', m.type]], body: m.body }; });
}

// The no-JavaScript posts (url-encoded), each refused by its own rules.
const postedFields = {
  '/report': () => reportFields(),
  '/track': () => [['code', pick(['', 'SZ-NOPE', weird(), hugeString().slice(0, 60000)])], ['secret', pick(['', 'x', weird()])]],
  '/suggest': () => [['campaign', pick(['', 'x', '-1', '987654'])], ['name', pick([han(5), '', hugeString().slice(0, 60000)])], ['content', pick([han(20), ''])], ['consent', pick(['', 'yes'])], ['phone', pick(['1', '13812345678', weird()])]],
  '/suggest/track': () => [['code', pick(['', 'MS-NOPE', weird()])], ['secret', pick(['', 'x'])]],
  '/suggest/list': () => [['support', pick(['', 'abc', '-1', '987654', '1.5', weird()])], ['campaign', pick(['', 'x', '987654'])], ['category', weird()], ['area', pick(WRONG_INT)]],
};
for (const path of POSTED) {
  const post = (body, type) => ({ method: 'POST', path, headers: [...browserHeaders(), ...(type ? [['Content-Type', type]] : [])], body });
  add('plausible but wrong', path, () => post(form(postedFields[path]()), 'application/x-www-form-urlencoded'));
  add('bad UTF-8', path, () => post(rawForm(postedFields[path]().map(([k, v]) => [k, rand() < 0.5 ? Buffer.concat([Buffer.from('a'), pick(BAD_UTF8)]) : v])), 'application/x-www-form-urlencoded'));
  add('bad UTF-8', path, () => post(Buffer.from(`code=${pick(BAD_ESCAPES)}&secret=${pick(BAD_ESCAPES)}&campaign=${pick(BAD_ESCAPES)}`), 'application/x-www-form-urlencoded'));
  add('huge fields', path, () => post(Buffer.alloc(int(70000, 2000000), 'a'), 'application/x-www-form-urlencoded'));
  add('wrong content type', path, () => post(form(postedFields[path]()), pick([null, 'text/plain', 'application/json', 'application/xml'])));
  add('empty fields', path, () => post('', 'application/x-www-form-urlencoded'));
  add('wrong methods', path, () => ({ method: pick(['PUT', 'DELETE', 'PATCH', 'FOO']), path, headers: [], body: form(postedFields[path]()) }));
  add('cross-site', path, () => ({ method: 'POST', path, headers: [pick([['Origin', 'http://evil.example'], ['Sec-Fetch-Site', 'cross-site']]), urlenc], body: form(postedFields[path]()) }));
}

// The JSON API. Every body names an unknown category (or none), so none is ever filed.
const bearer = () => pick([['Authorization', `Bearer ${token}`], ['Authorization', `Bearer ${token}`], ['Authorization', `Bearer ${token}`], ['Authorization', 'Bearer nope'], ['Authorization', `Basic ${token}`], ['Authorization', 'Bearer '], ['Authorization', `Bearer ${'x'.repeat(5000)}`], ['X-No-Auth', '1']]);
const apiCase = () => {
  const c = { category: pick(['no-such-category', '', 'NOISE!', 1, null, [], {}]) };
  const fields = { description: [han(10), '', 5, [], {}, hugeString()], title: [han(81), 7, false, han(3)], urgency: ['asap', 3, null], channel: ['fax', 'online', 9], lat: ['north', 123.0, 1e308, null],
    lng: ['east', -200, true], area_id: ['x', -1, 1.5, 98765432109876543210], reporter_phone: ['12345', 13812345678, ''], reporter_name: [hugeString(), 1], external_ref: ['x'.repeat(65), 'a\u0000b', 5], extra: ['?'] };
  for (const [k, vs] of Object.entries(fields)) if (rand() < 0.4) c[k] = pick(vs);
  return c;
};
const api = (method, path, body, type = 'application/json') => ({ method, path, headers: [bearer(), ...(body !== undefined && type ? [['Content-Type', type]] : [])], body });
add('wrong types', '/api/v1/cases', () => api('POST', '/api/v1/cases', JSON.stringify(apiCase())));
add('wrong types', '/api/v1/cases', () => api('POST', '/api/v1/cases', pick(['[]', '"case"', '1', 'null', 'true', '[{"category":"noise"}]'])));
add('empty fields', '/api/v1/cases', () => api('POST', '/api/v1/cases', pick(['', '{}', '{"category":"","description":""}'])));
add('huge fields', '/api/v1/cases', () => api('POST', '/api/v1/cases', JSON.stringify({ category: 'no-such-category', description: 'x'.repeat(int(70000, 3000000)) })));
add('huge fields', '/api/v1/cases', () => api('POST', '/api/v1/cases', '['.repeat(int(200, 100000)) + ']'.repeat(int(0, 10))));
add('bad UTF-8', '/api/v1/cases', () => api('POST', '/api/v1/cases', Buffer.concat([Buffer.from('{"category":"no-such-category","description":"'), pick(BAD_UTF8), Buffer.from('"}')])));
add('bad UTF-8', '/api/v1/cases', () => api('POST', '/api/v1/cases', pick(['{"description":"\\ud800"}', '{"description":"\\u12"}', '{"category":"x",}', '{"category":"x"', '{category:1}'])));
add('wrong content type', '/api/v1/cases', () => api('POST', '/api/v1/cases', form([['category', 'no-such-category']]), pick(['application/x-www-form-urlencoded', 'text/plain', null, 'multipart/form-data; boundary=b'])));
add('broken multipart', '/api/v1/cases', () => { const m = multipart([['category', 'no-such-category']]); return api('POST', '/api/v1/cases', m.body, m.type); });
add('wrong methods', '/api/v1/cases', () => api(pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'FOO']), '/api/v1/cases', '{}'));
add('wrong methods', '/api/v1/categories', () => api(pick(['POST', 'PUT', 'DELETE']), '/api/v1/categories', '{}'));
add('wrong methods', '/api/v1/cases/{code}', () => api(pick(['POST', 'PUT', 'DELETE', 'PATCH']), `/api/v1/cases/${pick(['SZ-NOPE', 'x'])}`, '{}'));
add('cross-site', '/api/v1/cases', () => ({ method: 'POST', path: '/api/v1/cases', headers: [['Authorization', `Bearer ${token}`], ['Content-Type', 'application/json'], pick([['Origin', 'http://evil.example'], ['Sec-Fetch-Site', 'cross-site']])], body: JSON.stringify(apiCase()) }));
add('wrong types', '/api/v1/cases/{code}', () => api('GET', `/api/v1/cases/${pick(['', 'SZ-NOPE', '%FF%FE', '..%2F..%2Fetc', 'x'.repeat(int(100, 8000)), encodeURIComponent(han(10)), '%00', '1;DROP TABLE cases'])}`));
add('bad UTF-8', '/api/v1/cases/{code}', () => ({ method: 'GET', path: Buffer.concat([Buffer.from('/api/v1/cases/SZ'), pick(BAD_UTF8)]), headers: [bearer()] }));
add('wrong types', '/api/v1/*', () => api(pick(['GET', 'POST']), pick(['/api/v1', '/api/v1/', '/api/v1/cases/x/y', '/api/v1/nothing', '/api/v1/categories?x=%FF'])));

// Pages and hand-written GET routes.
for (const path of PAGES) {
  add('odd queries', path, () => ({ method: 'GET', path: `${path}?${pick(['x=%FF', 'next=%5Cevil.example', 'next=//evil.example', 'code=' + 'x'.repeat(int(100, 6000)), 'page=-1&id=abc', '%%', 'a[b][c]=1', 'q=' + encodeURIComponent(han(50))])}`, headers: [] }));
  add('wrong methods', path, () => ({ method: pick(['PUT', 'DELETE', 'PATCH', 'FOO', 'TRACE', 'OPTIONS']), path, headers: [], body: pick([undefined, 'x=1']) }));
  add('odd headers', path, () => ({ method: 'GET', path, headers: [pick([['Cookie', `shezhi_sid=${pick(['x', '%FF', 'a'.repeat(3000)])}`], ['Accept-Language', 'x'.repeat(3000)], ['Accept', '*/*;q=abc'], ['X-Forwarded-For', '1.2.3.4, garbage'], ['Last-Event-ID', '-1'], ['Range', 'bytes=abc'], ['If-Modified-Since', 'yesterday']])] }));
}
add('bad UTF-8', 'paths', () => ({ method: 'GET', path: Buffer.concat([Buffer.from(pick(['/', '/track/', '/center/cases/', '/files/', '/lang/', '/api/public/', '/suggest/'])), pick(BAD_UTF8)]), headers: [] }));
add('bad UTF-8', 'paths', () => ({ method: 'GET', path: pick(['/%FF%FE', '/center/cases/%C0%AF', '/lang/%E4%B8', '/files/%80', '/field/cases/%ED%A0%80', '/api/public/%FF']), headers: [] }));
add('odd queries', 'paths', () => ({ method: 'GET', path: pick(['/' + 'a'.repeat(int(1000, 8000)), '/center/cases/99999999999999999999', '/field/cases/-1', '/files/abc', '/files/0', '/lang/xx', '/lang/en?next=/%5Cevil.example', '/../../etc/passwd', '/center/campaigns/abc/export.xlsx', '//evil.example/']), headers: [] }));
add('huge fields', 'headers', () => ({ method: 'GET', path: pick(['/', '/track', '/api/v1/categories']), headers: [['Cookie', 'c=' + 'a'.repeat(int(8000, 60000))]] }));

// ---- run --------------------------------------------------------------------------------
function isClear(r) {
  const b = r.body;
  if (!b || !b.length) return 'empty body';
  let s;
  try { s = new TextDecoder('utf-8', { fatal: true }).decode(b); } catch { return 'body not UTF-8'; }
  const ct = (r.headers['content-type'] || '').toLowerCase();
  if (ct.includes('json')) {
    try {
      const v = JSON.parse(s);
      if (v && typeof v === 'object' && 'message' in v) return typeof v.message === 'string' && v.message.trim() ? null : 'JSON without a message';
      return v === null || v === '' ? 'empty JSON' : null; // an error named in JSON (server functions' AppError)
    } catch { return 'JSON that does not parse'; }
  }
  if (ct.includes('html')) {
    const text = s.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    return text.length >= 3 ? null : 'HTML without text';
  }
  return s.trim().length >= 3 ? null : 'too short';
}

const statuses = {};
const byKind = {};
const byRoute = {};
const fiveXX = [];
const unclear = [];
const parserRefusals = [];
const unclearSummary = {};
const noAnswer = [];
const accepted = [];
const messages = {};
let done = 0;
const t0 = Date.now();
await pool(N, Number(f.concurrency || 8), async (i) => {
  const { kind, route, g } = gens[i % gens.length];
  const spec = g();
  const r = await request({ port, timeoutMs: 60000, ...spec });
  done++;
  if (done % 2000 === 0) process.stderr.write(`[badreq] ${done}/${N}\n`);
  const k = byKind[kind] ||= { n: 0, statuses: {} };
  const rt = byRoute[route] ||= { n: 0, statuses: {} };
  k.n++; rt.n++;
  const what = `${spec.method} ${Buffer.isBuffer(spec.path) ? spec.path.toString('latin1') : spec.path}`.slice(0, 140);
  if (r.error) {
    tally(statuses, 'no answer'); tally(k.statuses, 'no answer'); tally(rt.statuses, 'no answer');
    noAnswer.push({ kind, what, error: r.error, sent: r.sentBytes, raw: r.raw });
    return;
  }
  tally(statuses, r.status); tally(k.statuses, r.status); tally(rt.statuses, r.status);
  if (r.status >= 500) fiveXX.push({ kind, what, status: r.status, body: r.body.toString().slice(0, 300) });
  if (r.status >= 400 && r.status < 500) {
    const why = isClear(r);
    // The app's answers carry its security headers; an answer without them came from the
    // HTTP parser (hyper) before any of the app's code ran (e.g. bytes that are not ASCII in
    // the request target), and has no body to give.
    const byParser = !r.headers['x-content-type-options'];
    if (why && byParser) parserRefusals.push({ kind, what, status: r.status, why });
    else if (why) tally(unclearSummary, `${r.status} ${why}: ${spec.method} ${route}`);
    if (why && !byParser) unclear.push({ kind, what, status: r.status, why, type: r.headers['content-type'] || '', body: r.body.toString('latin1').slice(0, 120) });
    else {
      const ct = r.headers['content-type'] || '';
      let m = r.body.toString();
      if (ct.includes('html')) m = (/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(m) || /<title>([\s\S]*?)<\/title>/.exec(m) || [, m])[1].replace(/<[^>]+>/g, '');
      tally(messages, `${r.status} ${m.replace(/\s+/g, ' ').slice(0, 110)}`);
    }
  }
  if (r.status < 300 && spec.method === 'POST' && !['/api/public/options', '/api/public/suggest/page', '/api/public/suggest/list', '/api/public/suggest/similar', '/api/auth/me', '/api/auth/signout'].includes(route)) {
    accepted.push({ kind, what, status: r.status, body: r.body.toString().slice(0, 200) });
  }
});
const topMessages = Object.entries(messages).sort((a, b) => b[1] - a[1]);
console.log(JSON.stringify({
  requests: N, generators: gens.length, routes: Object.keys(byRoute).length, seconds: (Date.now() - t0) / 1000,
  statuses, five_xx: fiveXX.length, five_xx_examples: fiveXX.slice(0, 10),
  four_xx: Object.entries(statuses).filter(([s]) => s >= 400 && s < 500).reduce((a, [, n]) => a + n, 0),
  unclear_4xx: unclear.length, unclear_examples: dedupe(unclear).slice(0, 10),
  unclear_by_route: Object.entries(unclearSummary).sort().map(([k, n]) => `${n} x ${k}`),
  parser_refusals: parserRefusals.length, parser_refusal_examples: dedupe(parserRefusals).slice(0, 5),
  no_answer: noAnswer.length, no_answer_examples: dedupe(noAnswer).slice(0, 10),
  accepted_posts: accepted.length, accepted_examples: accepted.slice(0, 10),
  distinct_messages: topMessages.length, messages_sample: topMessages.slice(0, 25).map(([m, n]) => `${n} x ${m}`),
  by_kind: byKind, by_route: byRoute,
}));

function dedupe(list) {
  const seen = new Map();
  for (const e of list) {
    const key = `${e.kind}|${e.status}|${e.why}|${e.error}|${(e.what || '').split('?')[0].slice(0, 60)}`;
    if (!seen.has(key)) seen.set(key, { ...e, count: 0 });
    seen.get(key).count++;
  }
  return [...seen.values()].sort((a, b) => b.count - a.count);
}
