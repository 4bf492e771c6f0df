import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PufaError } from '../../src/errors.ts';
import { main } from '../../src/cli/main.ts';
import { loadChecklist, resolveChecklist, type ChecklistLaw } from '../../src/knowledge/checklist.ts';
import { fetchLaws } from '../../src/authoring/laws-fetch.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { CORPUS_LAWS, KNOWLEDGE } from '../knowledge/helpers/corpus.ts';
import { tempDir } from '../knowledge/helpers/files.ts';
import { buildLawRefBookIndex, serveMirror, serveSilence, type MirrorServer } from '../knowledge/helpers/lawrefbook-mirror.ts';

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

let work: string;
let cleanup: () => Promise<void>;
let mirror: MirrorServer;
let dbPath: string;
let laws: ChecklistLaw[];

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('pufa-fetch-'));
  dbPath = join(work, 'db.sqlite3');
  await buildLawRefBookIndex(CORPUS_LAWS, dbPath);
  mirror = await serveMirror(CORPUS_LAWS, dbPath);
  laws = (await loadChecklist(KNOWLEDGE)).roles.flatMap((r) => r.laws);
});
afterAll(async () => {
  await mirror.close();
  await cleanup();
});

describe('pufa laws fetch against a LawRefBook mirror', () => {
  it('downloads every checklist law, all versions, byte for byte, and only the listed books of 民法典', async () => {
    const lawsDir = join(work, 'laws-a');
    const result = await fetchLaws({ mirrorUrl: mirror.url, timeoutMs: 5000, lawsDir, laws });
    expect(result.missing).toEqual([]);
    expect(result.failed).toEqual([]);
    const files = await listFiles(lawsDir);
    expect(files).toEqual(result.downloaded);
    expect(files).toContain('经济法/预算法(2018-12-29).md');
    expect(files).toContain('经济法/会计法(2017-11-04).md');
    expect(files).toContain('经济法/会计法(2024-06-28).md');
    expect(files.filter((f) => f.startsWith('民法典/')).sort()).toEqual(['民法典/合同编.md', '民法典/总则.md']);
    expect(files.some((f) => f.includes('宪法修正案'))).toBe(false);
    for (const f of files) {
      expect((await readFile(join(lawsDir, f))).equals(await readFile(join(CORPUS_LAWS, f))), f).toBe(true);
    }
    // What was fetched is what the checklist needs.
    const { catalog } = await loadKnowledge({ lawsDir, knowledgeDir: KNOWLEDGE });
    expect(resolveChecklist(await loadChecklist(KNOWLEDGE), catalog).missing).toEqual([]);

    const again = await fetchLaws({ mirrorUrl: mirror.url, timeoutMs: 5000, lawsDir, laws });
    expect(again.downloaded).toEqual([]);
    expect(again.existing).toEqual(files);
  });

  it('lists the laws the mirror does not have', async () => {
    const result = await fetchLaws({
      mirrorUrl: mirror.url,
      timeoutMs: 5000,
      lawsDir: join(work, 'laws-b'),
      laws: [{ title: '预算法' }, { title: '不存在的测试条例' }],
    });
    expect(result.missing).toEqual(['不存在的测试条例']);
    expect(result.downloaded).toEqual(['经济法/预算法(2018-12-29).md']);
  });

  it('runs as `pufa laws fetch` with the mirror from the settings', async () => {
    const lawsDir = join(work, 'laws-cli');
    const out: string[] = [];
    const io = {
      stdout: { write: (s: string) => (out.push(s), true) },
      stderr: { write: (s: string) => (out.push(s), true) },
      stdin: process.stdin,
      env: { LAWS_MIRROR_URL: mirror.url, LOG_LEVEL: 'silent' },
      cwd: work,
    };
    const code = await main(['laws', 'fetch', '--laws', lawsDir, '--knowledge', KNOWLEDGE], io);
    expect(out.join('')).toContain('已下载  经济法/预算法(2018-12-29).md');
    expect(code).toBe(0);
    expect((await listFiles(lawsDir)).length).toBeGreaterThan(26);
  });
});

describe('an unreachable mirror', () => {
  it('times out with a clear Chinese message and writes nothing', async () => {
    const silent = await serveSilence();
    const lawsDir = join(work, 'laws-offline');
    try {
      const err = await fetchLaws({ mirrorUrl: silent.url, timeoutMs: 300, lawsDir, laws }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PufaError);
      expect((err as PufaError).userMessage).toContain(`无法连接法规镜像 ${silent.url}（连接超时）`);
      expect((err as PufaError).userMessage).toContain('LAWS_MIRROR_URL');
      expect(await listFiles(lawsDir)).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it('says so when nothing listens', async () => {
    const silent = await serveSilence();
    const url = silent.url;
    await silent.close();
    const err = await fetchLaws({ mirrorUrl: url, timeoutMs: 2000, lawsDir: join(work, 'laws-refused'), laws }).catch((e: unknown) => e);
    expect((err as PufaError).userMessage).toContain('连接被拒绝');
  });

  it('leaves no half-written law when the connection stalls mid-file', async () => {
    const stalling = await serveMirror(CORPUS_LAWS, dbPath, { stallOn: /预算法\(2018-12-29\)/ });
    const lawsDir = join(work, 'laws-stall');
    try {
      const err = await fetchLaws({ mirrorUrl: stalling.url, timeoutMs: 500, lawsDir, laws: [{ title: '预算法' }, { title: '会计法' }] }).catch(
        (e: unknown) => e,
      );
      expect((err as PufaError).userMessage).toContain('连接超时');
      const files = await listFiles(lawsDir);
      expect(files.some((f) => f.includes('预算法') || f.endsWith('.part'))).toBe(false);
      // Whatever did arrive is whole.
      for (const f of files) expect((await readFile(join(lawsDir, f))).equals(await readFile(join(CORPUS_LAWS, f))), f).toBe(true);
    } finally {
      await stalling.close();
    }
  });

  it('explains a mirror without the LawRefBook index', async () => {
    const bare = await serveMirror(CORPUS_LAWS, join(work, 'no-such-db.sqlite3'));
    try {
      const err = await fetchLaws({ mirrorUrl: bare.url, timeoutMs: 2000, lawsDir: join(work, 'laws-bare'), laws }).catch((e: unknown) => e);
      expect((err as PufaError).userMessage).toContain('没有索引文件 db.sqlite3');
    } finally {
      await bare.close();
    }
  });
});
