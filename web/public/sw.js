// Service worker: keeps the app shell (index.html and the built assets) so that a workspace opens
// with no network. The documents themselves are in IndexedDB; this only caches code.
// Navigations: network first (a new build is picked up when online), the cached shell otherwise.
// Assets: hashed file names never change, so cache first.

const CACHE = 'reckon-shell-v2';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const res = await fetch('/', { cache: 'no-store' });
    if (res.ok) {
      const html = await res.clone().text();
      await cache.put('/', res);
      // The page's assets, and what they load later (the reconciliation worker, lazy chunks): a first
      // visit with the relay down starts the worker before anything else has fetched it.
      const queue = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      const seen = new Set(queue);
      while (queue.length) {
        const asset = queue.shift();
        const got = await fetch(asset);
        if (!got.ok) continue;
        await cache.put(asset, got.clone());
        if (!asset.endsWith('.js')) continue;
        // Chunks are named from the app's root ("/assets/x.js", "assets/x.js") or, for a lazy
        // chunk loaded by another one (AG Grid), beside it ("./x.js"): both are in /assets/.
        for (const m of (await got.text()).matchAll(/(?:\/?assets\/|\.\/)([\w.-]+\.(?:js|css|wasm))/g)) {
          const found = `/assets/${m[1]}`;
          if (!seen.has(found)) { seen.add(found); queue.push(found); }
        }
      }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) if (k !== CACHE) await caches.delete(k);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const res = await fetch(req);
        if (res.ok) (await caches.open(CACHE)).put('/', res.clone());
        return res;
      } catch {
        return (await caches.match('/')) ?? Response.error();
      }
    })());
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith((async () => {
      const hit = await caches.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok) (await caches.open(CACHE)).put(req, res.clone());
      return res;
    })());
  }
});
