// A raw HTTP/1.1 client over a plain socket, for requests no well-behaved client would send
// (bytes that are not UTF-8 in the path, broken chunking, bodies of hundreds of megabytes
// streamed without holding them) and a small helper set shared by the reliability drivers.
// One request per connection (`Connection: close`), so every answer is read to its end.
import net from 'node:net';

/** Parses a raw HTTP response (head and body) into {status, headers, body}. */
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] || '');
  if (!m) return null;
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      headers[k] = headers[k] !== undefined ? `${headers[k]}, ${line.slice(i + 1).trim()}` : line.slice(i + 1).trim();
    }
  }
  let body = buf.subarray(end + 4);
  let complete = true;
  if ((headers['transfer-encoding'] || '').toLowerCase().includes('chunked')) {
    const parts = [];
    let i = 0;
    complete = false;
    for (;;) {
      const nl = body.indexOf('\r\n', i);
      if (nl < 0) break;
      const size = parseInt(body.subarray(i, nl).toString('latin1'), 16);
      if (Number.isNaN(size)) break;
      if (size === 0) { complete = true; break; }
      parts.push(body.subarray(nl + 2, nl + 2 + size));
      i = nl + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    complete = body.length >= n;
    body = body.subarray(0, n);
  } else if (m[1] !== '204' && m[1] !== '304') {
    complete = false; // read to the close
  }
  return { status: Number(m[1]), headers, body, complete };
}

/**
 * Sends one request and reads the whole answer.
 * opts: {port, host='127.0.0.1', method, path (string or Buffer), headers: [[name, value]],
 *        body (string | Buffer), stream (async iterable of Buffers, sent after the head),
 *        timeoutMs, rawHead (Buffer: the whole head, sent as is)}
 * Resolves {status, headers, body, ms, sentBytes} or {error, ms, sentBytes} (never rejects).
 */
export function request(opts) {
  const { port, host = '127.0.0.1', timeoutMs = 30000 } = opts;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const chunks = [];
    let done = false;
    let sentBytes = 0;
    let parsedEarly = null;
    const sock = net.connect({ port, host });
    const finish = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const buf = Buffer.concat(chunks);
      const r = parsedEarly || parseResponse(buf);
      const ms = performance.now() - t0;
      if (r) resolve({ ...r, ms, sentBytes });
      else resolve({ error: err ? (err.code || String(err.message || err)) : 'no answer', ms, sentBytes, raw: buf.subarray(0, 200).toString('latin1') });
    };
    const timer = setTimeout(() => finish(new Error('timeout')), timeoutMs);
    let interim = null; // resolves when the server says 100 Continue (or answers)
    sock.on('data', (d) => {
      chunks.push(d);
      let r = parseResponse(Buffer.concat(chunks));
      if (r && r.status === 100) {
        // "100 Continue": drop it and send the body.
        const all = Buffer.concat(chunks);
        chunks.length = 0;
        const rest = all.subarray(all.indexOf('\r\n\r\n') + 4);
        if (rest.length) chunks.push(rest);
        if (interim) interim();
        r = rest.length ? parseResponse(rest) : null;
      }
      // A complete answer ends the exchange even while a long body is still being sent.
      if (r && r.complete) { parsedEarly = r; finish(); }
    });
    sock.on('end', () => finish());
    sock.on('close', () => setTimeout(() => finish(), chunks.length ? 0 : 300));
    // A write refused because the server already answered and closed (EPIPE, ECONNRESET):
    // its answer may still be arriving, so give it a moment before giving up.
    sock.on('error', (e) => { if (chunks.length) finish(e); else setTimeout(() => finish(e), 300); });
    sock.on('connect', async () => {
      let head = opts.rawHead;
      if (!head) {
        const lines = [];
        const hasHost = (opts.headers || []).some(([k]) => k.toLowerCase() === 'host');
        if (!hasHost) lines.push(Buffer.from(`Host: ${host}:${port}\r\n`));
        for (const [k, v] of opts.headers || []) lines.push(Buffer.concat([Buffer.from(`${k}: `), Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'latin1'), Buffer.from('\r\n')]));
        const body = opts.body === undefined ? null : (Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body));
        const hasLen = (opts.headers || []).some(([k]) => ['content-length', 'transfer-encoding'].includes(k.toLowerCase()));
        if (body && !hasLen) lines.push(Buffer.from(`Content-Length: ${body.length}\r\n`));
        // A body of more than 64 KiB waits for the server's go-ahead, as curl does: a server that
        // refuses it from its head answers at once, and the answer is not lost to a reset.
        const expect = body && body.length > 64 * 1024 && opts.expectContinue !== false;
        if (expect) lines.push(Buffer.from('Expect: 100-continue\r\n'));
        lines.push(Buffer.from('Connection: close\r\n\r\n'));
        const path = Buffer.isBuffer(opts.path) ? opts.path : Buffer.from(opts.path, 'latin1');
        head = Buffer.concat([Buffer.from(`${opts.method} `), path, Buffer.from(' HTTP/1.1\r\n'), ...lines, ...(body && !expect ? [body] : [])]);
        if (expect) {
          const go = new Promise((res) => { interim = res; setTimeout(res, 1000); });
          sock.write(head);
          sentBytes += head.length;
          await go;
          head = body;
        }
      }
      const write = (b) => new Promise((res) => {
        if (done || sock.destroyed) return res(false);
        sentBytes += b.length;
        if (sock.write(b)) return res(true);
        const go = () => { sock.off('drain', go); sock.off('close', go); res(!done && !sock.destroyed); };
        sock.on('drain', go);
        sock.on('close', go);
      });
      if (!(await write(head))) return;
      if (opts.stream) {
        for await (const c of opts.stream) {
          if (!(await write(c))) return;
        }
      }
    });
  });
}

/** Percentile (0..100) of a list of numbers. */
export function pct(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Counts into {key: n}. */
export function tally(obj, key, n = 1) {
  obj[key] = (obj[key] || 0) + n;
  return obj;
}

/** Command-line flags `--name value` into an object (numbers stay strings). */
export function flags(argv = process.argv.slice(2)) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      const k = argv[i].slice(2);
      const v = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
      o[k] = v;
    }
  }
  return o;
}

/** A small seeded PRNG (mulberry32), so a run can be repeated exactly. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** url-encodes pairs as a form body. */
export function form(pairs) {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** A multipart body from [[name, value]] and [[name, {filename, type, data}]] parts. */
export function multipart(parts, boundary = '----rel' + Math.random().toString(16).slice(2)) {
  const bufs = [];
  for (const [name, v] of parts) {
    if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      bufs.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.filename}"\r\nContent-Type: ${v.type || 'application/octet-stream'}\r\n\r\n`));
      bufs.push(Buffer.isBuffer(v.data) ? v.data : Buffer.from(v.data));
      bufs.push(Buffer.from('\r\n'));
    } else {
      bufs.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
      bufs.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
      bufs.push(Buffer.from('\r\n'));
    }
  }
  bufs.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(bufs), type: `multipart/form-data; boundary=${boundary}`, boundary };
}

/** Runs `task(i)` for i in 0..n-1 with at most `limit` at once. */
export async function pool(n, limit, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}
