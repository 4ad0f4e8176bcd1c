// Shezhi's field pages without network (scope /field). Network first, always: online, every
// page and file comes fresh from the server, and a copy is kept; offline, the copy answers,
// so a grid worker's phone opens /field with the inbox it last saw (the page says how old).
// Data calls (/api/, /events) and attachments (/files/) are never kept: the page's outbox
// (IndexedDB) holds what is written offline. Written by hand: three routes do not need
// Workbox, which would have to be vendored in five packages.
const CACHE = 'shezhi-field-v1';
const NEVER = ['/api/', '/events', '/files/'];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('message', (e) => {
  const m = e.data || {};
  // The page lists itself and the files it loaded, for a first visit the worker did not see.
  if (m.type === 'warm' && Array.isArray(m.urls)) e.waitUntil(warm(m.urls));
  // Signing out: no one else may open the last person's inbox on this phone.
  if (m.type === 'forget') e.waitUntil(caches.delete(CACHE));
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || NEVER.some((p) => url.pathname.startsWith(p))) return;
  if (req.mode === 'navigate' && !isFieldPage(url)) return;
  e.respondWith(networkFirst(req));
});

function isFieldPage(url) {
  return url.pathname === '/field' || url.pathname.startsWith('/field/');
}

async function networkFirst(req) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(req);
    if (res.ok && res.type === 'basic' && !res.redirected) {
      await cache.put(req, res.clone());
    } else if (req.mode === 'navigate' && (res.type === 'opaqueredirect' || res.redirected || res.status === 401)) {
      // Sent to sign in: the session is over, and so is what it saw.
      await caches.delete(CACHE);
    }
    return res;
  } catch (err) {
    const kept = await cache.match(req, { ignoreVary: true });
    if (kept) return kept;
    if (req.mode === 'navigate') return notKept();
    throw err;
  }
}

async function warm(urls) {
  const cache = await caches.open(CACHE);
  await dropOtherReleases(cache, urls);
  const seen = new Set();
  const one = async (u) => {
    let url;
    try { url = new URL(u, self.location.origin); } catch { return []; }
    if (seen.has(url.href) || url.origin !== self.location.origin || NEVER.some((p) => url.pathname.startsWith(p))) return [];
    seen.add(url.href);
    if (await cache.match(url.href, { ignoreVary: true })) return [];
    try {
      const res = await fetch(url.href, { credentials: 'same-origin', redirect: 'manual' });
      if (!res.ok || res.type !== 'basic') return [];
      // A page names the bundle and chunks it needs: keep those too, whatever the page had
      // loaded by the time it asked (a chunk still on its way would be missing offline).
      let more = [];
      if ((res.headers.get('Content-Type') || '').startsWith('text/html')) {
        const html = await res.clone().text();
        more = [...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)].map((m) => m[1]);
      }
      await cache.put(url.href, res);
      return more;
    } catch { return []; /* offline again: the next visit warms it */ }
  };
  // Six at a time, as a browser fetches from one server.
  let todo = [...urls];
  while (todo.length) {
    const batch = todo.splice(0, 6);
    todo = todo.concat((await Promise.all(batch.map(one))).flat());
  }
}

// The build's files come under the release's stamp (/pkg/~<stamp>/…). A page of a new release
// lets go of what the phone kept of the last one: its files, and the kept pages that name them
// (their code is gone; visited again online, they are kept anew).
const STAMPED = /\/pkg\/~([^/"]+)\//;
async function dropOtherReleases(cache, urls) {
  const stamps = new Set(urls.map((u) => (String(u).match(STAMPED) || [])[1]).filter(Boolean));
  if (stamps.size !== 1) return;
  const [now] = stamps;
  const keys = await cache.keys();
  const stale = keys.filter((req) => { const file = new URL(req.url).pathname.match(STAMPED); return file && file[1] !== now; });
  // Nothing of another release kept: its pages were let go with its files (below), or never kept.
  if (!stale.length) return;
  for (const req of stale) await cache.delete(req);
  for (const req of keys) {
    if (STAMPED.test(new URL(req.url).pathname)) continue;
    const kept = await cache.match(req);
    if (!kept || !(kept.headers.get('Content-Type') || '').startsWith('text/html')) continue;
    const named = (await kept.text()).match(STAMPED);
    if (named && named[1] !== now) await cache.delete(req);
  }
}

// A field page never opened on this phone: there is nothing to show but the way back.
function notKept() {
  const body = '<!doctype html><html lang="zh"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    '<title>离线 · Offline</title><body style="font:16px/1.6 sans-serif;padding:1rem;color:#1f2933">' +
    '<h1 style="font-size:1.2rem">当前没有网络</h1><p>这个页面没有保存在本机。</p>' +
    '<p lang="en">No network: this page was not saved on the phone.</p>' +
    '<p><a href="/field" style="color:#1a56c4">返回收件箱 · Back to the inbox</a></p></body></html>';
  return new Response(body, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
