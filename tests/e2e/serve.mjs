// A static file server for the built site under a sub-path (as GitHub Pages serves a project site):
// GET /<prefix>/... maps to files of <dir>. Nothing else is served. Used by the end-to-end tests.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

/** Starts a server for `dir` under `prefix` (e.g. "/cable-reader/") on 127.0.0.1; resolves to {server, url}. */
export function serve(dir, prefix, port = 0) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end('not under ' + prefix);
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404).end('not found');
        return;
      }
      const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' };
      // CROSS_ORIGIN_ISOLATED=1: the page may call performance.measureUserAgentSpecificMemory()
      // (the memory benchmark's breakdown by page and worker); GitHub Pages sends no such headers.
      if (process.env.CROSS_ORIGIN_ISOLATED === '1') {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      res.writeHead(200, headers);
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${server.address().port}${prefix}` });
    });
  });
}

if (process.argv[1] && process.argv[1].endsWith('serve.mjs')) {
  const [dir = '../../dist', prefix = '/cable-reader/', port = '8080'] = process.argv.slice(2);
  serve(dir, prefix, Number(port)).then(({ url }) => console.log('serving', dir, 'at', url));
}
