import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { readKnowledgeFile, UnreadableFileError } from '../../src/knowledge/readers.ts';
import { gbk, makeDocx, makeImageOnlyPdf, makeTextPdf, tempDir } from './helpers/files.ts';

/** The national law database's DOCX layout: title, info in parentheses, 目录, chapters, articles. */
const NATIONAL_DB_LAW = [
  '中华人民共和国测试预算法',
  '（1994年3月22日第八届全国人民代表大会第二次会议通过　根据2014年8月31日第十二届全国人民代表大会常务委员会第十次会议《关于修改〈中华人民共和国测试预算法〉的决定》第一次修正　根据2018年12月29日第十三届全国人民代表大会常务委员会第七次会议第二次修正）',
  '目　　录',
  '第一章　总　　则',
  '第二章　预算收支范围',
  '第三章　附　　则',
  '第一章　总　　则',
  '第一条　为了规范政府收支行为，强化预算约束，制定本法。',
  '第二条　预算、决算的编制、审查、批准、监督，依照本法规定执行。',
  '第二章　预算收支范围',
  '第三条　预算年度自公历一月一日起，至十二月三十一日止。',
  '第三条之一　预算收入和预算支出以人民币元为计算单位。',
  '第二条规定的事项，按照下列原则办理：',
  '（一）统筹兼顾；',
  '（二）勤俭节约。',
  '第三章　附　　则',
  '第四条　本法自1995年1月1日起施行。',
];

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => cleanup());

describe('text encodings', () => {
  it('reads GBK text without being told the encoding', async () => {
    const p = join(dir, 'gbk.txt');
    await writeFile(p, gbk('中华人民共和国测试法\n第一条　为了规范政府收支行为，强化预算约束，制定本法。\n'));
    const { text } = await readKnowledgeFile(p);
    expect(text).toContain('第一条　为了规范政府收支行为，强化预算约束');
  });

  it('reads a short GBK line that detectors take for another encoding', async () => {
    const p = join(dir, 'short-gbk.txt');
    await writeFile(p, gbk('预算法'));
    expect((await readKnowledgeFile(p)).text).toBe('预算法');
  });

  it('reads UTF-8 with and without a BOM, and UTF-16 with a BOM', async () => {
    const a = join(dir, 'bom.txt');
    await writeFile(a, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('第一条　测试', 'utf8')]));
    expect((await readKnowledgeFile(a)).text).toBe('第一条　测试');
    const b = join(dir, 'utf16.txt');
    await writeFile(b, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('第二条　测试', 'utf16le')]));
    expect((await readKnowledgeFile(b)).text).toBe('第二条　测试');
  });

  it('reads UTF-8 with one broken byte as UTF-8, not as GBK mojibake', async () => {
    const p = join(dir, 'broken-utf8.txt');
    const good = Buffer.from('第一条　为了规范政府收支行为，强化预算约束，加强对预算的管理和监督。', 'utf8');
    await writeFile(p, Buffer.concat([good, Buffer.from([0xe4, 0xb8])]));
    expect((await readKnowledgeFile(p)).text).toContain('为了规范政府收支行为');
  });

  it('names binary junk instead of reading it as text', async () => {
    const p = join(dir, 'junk.txt');
    await writeFile(p, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)));
    await expect(readKnowledgeFile(p)).rejects.toThrow(UnreadableFileError);
    await expect(readKnowledgeFile(p)).rejects.toMatchObject({ reason: expect.stringContaining('不是文本文件') });
  });
});

describe('DOCX from the national law database', () => {
  it('reads a generated DOCX and parses title, version from the info block, headings and articles', async () => {
    const lawsDir = join(dir, 'docx-laws');
    await mkdir(join(lawsDir, '经济法'), { recursive: true });
    await writeFile(join(lawsDir, '经济法', '中华人民共和国测试预算法.docx'), await makeDocx(NATIONAL_DB_LAW));
    const { catalog, skipped } = await loadKnowledge({ lawsDir, knowledgeDir: join(dir, 'none') });
    expect(skipped).toEqual([]);
    const [law] = catalog.resolve('测试预算法');
    expect(law).toBeDefined();
    expect(law!.title).toBe('中华人民共和国测试预算法');
    expect(law!.category).toBe('经济法');
    expect(law!.version).toBe('2018-12-29');
    expect(law!.info.join('')).toContain('1994年3月22日');
    // The 目录 block is gone: its chapters do not become empty headings or info.
    expect(law!.info.join('')).not.toContain('目');
    expect(law!.articles.map((a) => a.label)).toEqual(['第一条', '第二条', '第三条', '第三条之一', '第四条']);
    const a31 = law!.articles[3]!;
    expect([a31.number, a31.suffix]).toEqual([3, 1]);
    expect(a31.path).toEqual(['第二章 预算收支范围']);
    // 「第二条规定的事项…」 cites an article: it stays a paragraph of 第三条之一 with its 项.
    expect(a31.paragraphs).toEqual([
      '预算收入和预算支出以人民币元为计算单位。',
      '第二条规定的事项，按照下列原则办理：',
      '（一）统筹兼顾；',
      '（二）勤俭节约。',
    ]);
    expect(law!.articles[0]!.path).toEqual(['第一章 总则']);
    expect(law!.articles[4]!.path).toEqual(['第三章 附则']);
  });

  it('skips a file that only pretends to be DOCX, naming it', async () => {
    const p = join(dir, 'fake.docx');
    await writeFile(p, 'not a zip at all');
    await expect(readKnowledgeFile(p)).rejects.toMatchObject({ reason: expect.stringContaining('DOCX') });
  });
});

describe('PDF', () => {
  it('reads a PDF text layer, dropping the running header and page numbers', async () => {
    const lawsDir = join(dir, 'pdf-laws');
    await mkdir(lawsDir, { recursive: true });
    const pages = [
      ['中华人民共和国测试采购法', '（2014年8月31日第十二届全国人民代表大会常务委员会第十次会议修正）', '第一章　总　　则', '第一条　为了规范政府采购行为，提高政府采购资金的使用效益，制定本法。'],
      ['第二条　在中华人民共和国境内进行的政府采购适用本法。'],
      ['第三条　政府采购应当遵循公开透明原则、公平竞争原则、公正原则和诚实信用原则。'],
    ];
    await writeFile(join(lawsDir, '测试采购法.pdf'), await makeTextPdf(pages, '测试出版社 内部资料'));
    const { catalog, skipped } = await loadKnowledge({ lawsDir, knowledgeDir: join(dir, 'none') });
    expect(skipped).toEqual([]);
    const [law] = catalog.resolve('测试采购法');
    expect(law?.version).toBe('2014-08-31');
    expect(law?.articles.map((a) => a.number)).toEqual([1, 2, 3]);
    expect(law?.articles[2]!.text).toBe('政府采购应当遵循公开透明原则、公平竞争原则、公正原则和诚实信用原则。');
    const all = law!.articles.map((a) => a.text).join('\n');
    expect(all).not.toContain('内部资料');
    expect(all).not.toMatch(/- \d -/);
  });

  it('names an image-only PDF as having no text layer', async () => {
    const p = join(dir, 'scan.pdf');
    await writeFile(p, await makeImageOnlyPdf());
    await expect(readKnowledgeFile(p)).rejects.toMatchObject({ reason: expect.stringContaining('PDF 没有文字层（可能是扫描件）') });
  });
});

describe('a folder with good and bad files', () => {
  it('skips each unreadable file with its reason and still ingests the rest', async () => {
    const lawsDir = join(dir, 'mixed');
    await mkdir(lawsDir, { recursive: true });
    await writeFile(join(lawsDir, '测试法.txt'), gbk('中华人民共和国测试法\n（2020年1月1日通过）\n第一条　为了测试，制定本法。\n'));
    await writeFile(join(lawsDir, '扫描件.pdf'), await makeImageOnlyPdf());
    await writeFile(join(lawsDir, '坏文件.pdf'), Buffer.from('%PDF-1.7\n' + 'garbage '.repeat(200)));
    await writeFile(join(lawsDir, '二进制.txt'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 9, 8, 7]));
    await writeFile(join(lawsDir, '旧格式.doc'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    const { catalog, skipped } = await loadKnowledge({ lawsDir, knowledgeDir: join(dir, 'none') });
    expect(catalog.resolve('测试法')[0]?.articles).toHaveLength(1);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['laws/二进制.txt', 'laws/坏文件.pdf', 'laws/扫描件.pdf', 'laws/旧格式.doc']);
    expect(reasons['laws/扫描件.pdf']).toContain('PDF 没有文字层（可能是扫描件）');
    expect(reasons['laws/坏文件.pdf']).toContain('PDF 文件已损坏');
    expect(reasons['laws/二进制.txt']).toContain('不是文本文件');
    expect(reasons['laws/旧格式.doc']).toContain('.docx');
  });
});
