import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PufaError } from '../../src/errors.ts';
import { buildCatalog, type ParsedLaw } from '../../src/knowledge/catalog.ts';
import { checklistFilter, checklistTitles, loadChecklist, resolveChecklist, type Checklist } from '../../src/knowledge/checklist.ts';
import { KNOWLEDGE } from './helpers/corpus.ts';
import { tempDir } from './helpers/files.ts';

const ALL_STAFF = ['宪法', '民法典', '预算法', '预算法实施条例', '会计法', '政府采购法', '保守国家秘密法', '反电信网络诈骗法', '禁毒法', '消费者权益保护法'];
const LEADERS_ADD = ['行政处罚法', '行政复议法', '行政诉讼法', '行政许可法', '政府信息公开条例', '优化营商环境条例', '公平竞争审查条例', '信访工作条例', '公职人员政务处分法', '企业国有资产法', '审计法'];

let shipped: Checklist;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  shipped = await loadChecklist(KNOWLEDGE);
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => cleanup());

async function checklistIn(name: string, content: string): Promise<string> {
  const k = join(dir, name);
  await mkdir(join(k, 'checklists'), { recursive: true });
  await writeFile(join(k, 'checklists', 'must-know.yaml'), content);
  return k;
}

describe('the shipped sample checklist', () => {
  const lawsOf = (role: string) => shipped.roles.find((r) => r.name === role)!.laws.map((l) => l.title);

  it('has the roles of the bureau with exactly the laws of the issue', () => {
    expect(shipped.roles.map((r) => r.name)).toEqual(['全体干部', '领导干部', '执法人员（财政监督）', '政府采购岗', '国资管理岗', '预算绩效岗']);
    expect(lawsOf('全体干部')).toEqual(ALL_STAFF);
    expect(lawsOf('执法人员（财政监督）')).toEqual(['行政处罚法', '财政违法行为处罚处分条例', '会计法', '政府采购法实施条例', '行政复议法', '行政诉讼法', '行政强制法']);
    expect(lawsOf('政府采购岗')).toEqual(['政府采购法', '政府采购法实施条例', '招标投标法', '公平竞争审查条例']);
    expect(lawsOf('国资管理岗')).toEqual(['企业国有资产法', '行政事业性国有资产管理条例']);
    expect(lawsOf('预算绩效岗')).toEqual(['预算法', '预算法实施条例']);
  });

  it('gives 领导干部 the laws of 全体干部 first, then its own', () => {
    const leaders = shipped.roles.find((r) => r.name === '领导干部')!;
    expect(leaders.extends).toBe('全体干部');
    expect(leaders.laws.map((l) => l.title)).toEqual([...ALL_STAFF, ...LEADERS_ADD]);
  });

  it('limits 民法典 to its 总则编 and 合同编, and marks key articles of 预算法', () => {
    const staff = shipped.roles[0]!.laws;
    expect(staff.find((l) => l.title === '民法典')!.books).toEqual(['总则编', '合同编']);
    expect(staff.find((l) => l.title === '预算法')!.keyArticles).toContain(18);
  });

  it('lists each title once', () => {
    const titles = checklistTitles(shipped);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toHaveLength(26);
  });
});

describe('validation', () => {
  it('names the file and the field of a mistake', async () => {
    const k = await checklistIn('bad-field', 'roles:\n  - name: 政府采购岗\n    laws:\n      - title: 政府采购法\n      - titel: 招标投标法\n');
    const err = await loadChecklist(k).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PufaError);
    const msg = (err as PufaError).userMessage;
    expect(msg).toContain('checklists/must-know.yaml');
    expect(msg).toContain('roles[0]（政府采购岗）.laws[1].title');
    expect(msg).toContain('titel');
  });

  it('rejects key articles that are not article numbers', async () => {
    const k = await checklistIn('bad-article', 'roles:\n  - name: 全体干部\n    laws:\n      - title: 预算法\n        keyArticles: [18, 第十九条]\n');
    await expect(loadChecklist(k)).rejects.toMatchObject({ userMessage: expect.stringContaining('roles[0]（全体干部）.laws[0]（预算法）.keyArticles[1]') });
  });

  it('rejects YAML that does not parse, and an unknown role to extend', async () => {
    const broken = await checklistIn('broken', 'roles: [\n');
    await expect(loadChecklist(broken)).rejects.toMatchObject({ userMessage: expect.stringContaining('无法解析') });
    const unknown = await checklistIn('unknown', 'roles:\n  - name: 领导干部\n    extends: 全体人员\n    laws: []\n');
    await expect(loadChecklist(unknown)).rejects.toMatchObject({ userMessage: expect.stringContaining('没有名为「全体人员」的角色') });
  });

  it('reads JSON too, and gives an empty checklist when there is none', async () => {
    const k = join(dir, 'json');
    await mkdir(join(k, 'checklists'), { recursive: true });
    await writeFile(join(k, 'checklists', 'list.json'), JSON.stringify({ roles: [{ name: '新岗位', laws: [{ title: '审计法' }] }] }));
    expect((await loadChecklist(k)).roles[0]!.laws).toEqual([{ title: '审计法' }]);
    expect((await loadChecklist(join(dir, 'nothing'))).roles).toEqual([]);
  });
});

describe('resolving against the catalog', () => {
  const law = (title: string, books: string[] = [], source = `${title}.md`): ParsedLaw => ({
    title,
    category: '',
    version: '2020-01-01',
    info: [],
    books,
    articles: [{ number: 1, suffix: 0, label: '第一条', path: [], paragraphs: [title], text: title }],
    sources: [source],
  });

  it('finds laws by the names people write and lists the missing ones', () => {
    const catalog = buildCatalog([law('中华人民共和国预算法'), law('中华人民共和国政府信息公开条例'), law('中华人民共和国民法典', ['总则'], '民法典/总则.md')]);
    const checklist: Checklist = {
      sources: [],
      roles: [{ name: '全体干部', laws: [{ title: '预算法', keyArticles: [18] }, { title: '《政府信息公开条例》' }, { title: '民法典', books: ['总则编'] }, { title: '禁毒法' }] }],
    };
    const { entries, missing } = resolveChecklist(checklist, catalog);
    expect(entries.map((e) => [e.title, e.lawId ?? null])).toEqual([
      ['中华人民共和国预算法', '中华人民共和国预算法@2020-01-01'],
      ['中华人民共和国政府信息公开条例', '中华人民共和国政府信息公开条例@2020-01-01'],
      ['中华人民共和国民法典', '中华人民共和国民法典@2020-01-01'],
      ['禁毒法', null],
    ]);
    expect(entries[0]!.keyArticles).toEqual([18]);
    expect(missing).toEqual(['禁毒法']);
  });

  it('filters a law collection to the checklist, books of a code included', () => {
    const only = checklistFilter(shipped);
    expect(only('中华人民共和国预算法')).toBe(true);
    expect(only('中华人民共和国预算法实施条例')).toBe(true);
    expect(only('信访工作条例')).toBe(true);
    expect(only('中华人民共和国民法典', ['合同编'])).toBe(true);
    expect(only('中华人民共和国民法典', ['总则'])).toBe(true);
    expect(only('中华人民共和国民法典', ['物权编'])).toBe(false);
    expect(only('中华人民共和国刑法')).toBe(false);
    expect(only('中华人民共和国宪法修正案（2018年）')).toBe(false);
  });
});
