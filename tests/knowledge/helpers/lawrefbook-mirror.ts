/**
 * A local mirror of the LawRefBook/Laws layout for the fetch tests: an HTTP server on 127.0.0.1 that
 * serves a law folder as it is, plus the `db.sqlite3` index LawRefBook ships, built here from the
 * folder with LawRefBook's own schema (tables category and law).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';
import Database from 'better-sqlite3';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

/** Write LawRefBook's index for every Markdown file under `root`: 经济法/预算法(2018-12-29).md → name 预算法, publish 2018-12-29. */
export async function buildLawRefBookIndex(root: string, dbPath: string): Promise<number> {
  const db = new Database(dbPath);
  db.exec(`CREATE TABLE category (id INTEGER PRIMARY KEY, name TEXT NOT NULL, folder TEXT NOT NULL, isSubFolder INTEGER NOT NULL DEFAULT 0, "group" TEXT, "order" INTEGER NOT NULL);
    CREATE TABLE law (id TEXT PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, subtitle TEXT, filename TEXT, publish DATE, valid_from DATE,
      expired INTEGER NOT NULL DEFAULT 0, "order" INTEGER, category_id INTEGER NOT NULL REFERENCES category(id), ver INTEGER NOT NULL DEFAULT 0, tags TEXT);`);
  const categories = new Map<string, number>();
  const addCategory = db.prepare('INSERT INTO category (name, folder, isSubFolder, "order") VALUES (?, ?, ?, ?)');
  const addLaw = db.prepare('INSERT INTO law (id, level, name, publish, category_id) VALUES (?, ?, ?, ?, ?)');
  const files = await walk(root);
  db.transaction(() => {
    for (const file of files) {
      const rel = relative(root, file).split(sep);
      const folder = rel.slice(0, -1).join('/');
      const stem = rel[rel.length - 1]!.replace(/\.md$/, '');
      let id = categories.get(folder);
      if (id === undefined) {
        id = Number(addCategory.run(folder.split('/').pop(), folder, folder.includes('/') ? 1 : 0, categories.size).lastInsertRowid);
        categories.set(folder, id);
      }
      const m = stem.match(/^(.*)\((\d{4}-\d{2}-\d{2})\)$/);
      addLaw.run(randomUUID(), folder.split('/')[0], m ? m[1] : stem, m ? m[2] : null, id);
    }
  })();
  db.close();
  return files.length;
}

export interface MirrorServer {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serve `root` and the index at `dbPath` over HTTP. `stallOn` makes matching paths send half the body
 * and then hang, as a dropped connection does.
 */
export async function serveMirror(root: string, dbPath: string, opts: { stallOn?: RegExp } = {}): Promise<MirrorServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    requests.push(path);
    const file = path === 'db.sqlite3' ? dbPath : join(root, ...path.split('/'));
    if (!file.startsWith(root) && file !== dbPath) return void res.writeHead(403).end();
    try {
      const s = await stat(file);
      if (opts.stallOn?.test(path)) {
        res.writeHead(200, { 'content-length': s.size });
        res.write(Buffer.alloc(Math.floor(s.size / 2), 0x20));
        return; // never ends
      }
      res.writeHead(200, { 'content-length': s.size });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A server that accepts connections and never answers: an unreachable mirror behind a silent firewall. */
export async function serveSilence(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(() => {
    /* never answer */
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
